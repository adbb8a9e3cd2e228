"""Finding and reading the files an import names, safe against what a directory may hold:
FIFOs and devices (reading one would wait forever), unreadable files and subdirectories,
symlink loops. Each problem becomes a reason to report; nothing here blocks or raises."""
from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterator
from pathlib import Path

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be imported, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"not a regular file ({kind}); skipped"


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


def walk(root: Path, glob: str) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each regular file under root whose name matches glob, sorted, and
    (path, reason) for each matching entry that cannot be read and each subdirectory that
    cannot be listed. Directory symlinks are followed once: a loop ends there."""
    seen: set[tuple[int, int]] = set()
    try:
        st = root.stat()
        seen.add((st.st_dev, st.st_ino))
    except OSError as exc:
        yield root, os_reason(exc)
        return
    yield from _walk_dir(root, glob, seen)


def _walk_dir(folder: Path, glob: str, seen: set[tuple[int, int]]) -> Iterator[tuple[Path, str | None]]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"directory not searched: {os_reason(exc)}"
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            st = entry.stat()  # follows symlinks
        except OSError as exc:
            if fnmatch.fnmatch(entry.name, glob) or entry.is_symlink():
                yield path, os_reason(exc)
            continue
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) in seen:  # a symlink back up the tree, or a second way in
                continue
            seen.add((st.st_dev, st.st_ino))
            yield from _walk_dir(path, glob, seen)
        elif fnmatch.fnmatch(entry.name, glob):
            yield path, not_regular(st.st_mode)


def read_regular(path: Path, max_bytes: int) -> bytes:
    """At most max_bytes of a regular file; OSError or ValueError(reason) otherwise.

    Opened non-blocking and checked on the open descriptor, so a FIFO put in the file's
    place after it was listed cannot make the read wait."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        reason = not_regular(st.st_mode)
        if reason:
            raise ValueError(reason)
        if st.st_size > max_bytes:
            raise ValueError(f"file is {st.st_size} bytes, over the size limit of {max_bytes}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise ValueError(f"file is over the size limit of {max_bytes} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)
