"""Backup and restore of everything that is the user's own (see store/backup/make.py for the
list). Articles are named by their stable `key`, so a backup restores into any library that
has them, or gets them later: links and unlinks between articles not there yet wait for them."""
from store.backup.make import FORMAT, VERSION, make_backup, read_backup, write_backup
from store.backup.restore import restore_backup

__all__ = ["FORMAT", "VERSION", "make_backup", "read_backup", "restore_backup", "write_backup"]
