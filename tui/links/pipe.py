"""`|`: the article's text to a shell command, as newsboat's pipe-to does.

The child gets the text on stdin and no terminal (its own session, stdin a pipe), so it can
never take the reader's keys; its output is kept up to a limit, so `yes` cannot fill memory;
cancelling the worker kills its whole process group."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from dataclasses import dataclass

KEEP = 64 * 1024  # bytes of output kept per stream


@dataclass
class PipeResult:
    status: int
    out: str
    err: str


async def pipe_to(command: str, text: str) -> PipeResult:
    proc = await asyncio.create_subprocess_shell(
        command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, start_new_session=True)
    try:
        _, out, err = await asyncio.gather(_feed(proc, text.encode()), _drain(proc.stdout), _drain(proc.stderr))
        status = await proc.wait()
    except asyncio.CancelledError:
        _kill(proc)
        # reap it, so its pipes are closed here and not by a garbage-collected transport
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(proc.wait()), 2)
        raise
    return PipeResult(status, out.decode(errors="replace"), err.decode(errors="replace"))


async def _feed(proc, data: bytes) -> None:
    try:
        proc.stdin.write(data)
        await proc.stdin.drain()
    except (BrokenPipeError, ConnectionResetError):
        pass  # a command that does not read its input (`true`, `sleep`) is not an error
    finally:
        proc.stdin.close()


async def _drain(stream) -> bytes:
    kept = bytearray()
    while chunk := await stream.read(65536):
        if len(kept) < KEEP:
            kept += chunk[: KEEP - len(kept)]
    return bytes(kept)


def _kill(proc) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
