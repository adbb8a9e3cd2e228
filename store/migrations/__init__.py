"""Numbered schema migrations: `mNNNN_name.py` with `up(db)`, applied in name order."""
