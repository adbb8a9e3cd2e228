"""`margin` (no subcommand) opens the reader; `margin demo` opens a scratch copy of the demo library."""
from __future__ import annotations

import gc
import shutil
from pathlib import Path

from store.errors import LibraryError
from store.locations import demo_scratch_dir
from tui.cli.output import EXIT_OK, EXIT_USAGE, error, library_path

DEMO_LIBRARY = Path(__file__).resolve().parent.parent / "demo" / "demo.db"


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common], help="open the reader on a fresh copy of the bundled demo library")
    p.add_argument("--path", action="store_true", help="only print where the scratch copy goes")
    p.set_defaults(handler=run_demo)

    p = sub.add_parser("config", parents=[common],
                       help="where the config file (key bindings) and the error log live")
    p.add_argument("what", choices=("path", "log"),
                   help="path: the config file, then the error log; log: the error log only")
    p.set_defaults(handler=cmd_config)


def cmd_config(args) -> int:
    from store.locations import config_path, error_log_path

    if args.what == "path":
        print(config_path())
    print(error_log_path())
    return EXIT_OK


def _run(path: Path, *, demo: bool = False) -> int:
    # Needed for the first-paint target (tests/bench/README.md): start-up makes a few hundred
    # thousand objects that live as long as the reader (modules, classes, styles), and the
    # cyclic collector walked them over a hundred times before the first frame. It stays off until
    # that frame is on screen (MarginApp.first_frame_shown freezes them and turns it back on).
    gc.disable()
    try:
        from tui.app import make_app

        try:
            app = make_app(path, demo=demo)
        except LibraryError as exc:
            error(str(exc))
            return EXIT_USAGE
        app.run()
    finally:
        gc.enable()
    return app.return_code or EXIT_OK


def run_tui(args) -> int:
    return _run(library_path(args))


def scratch_demo_copy() -> Path:
    """Copy the bundled demo library to a scratch folder: the user's library is never touched."""
    if not DEMO_LIBRARY.exists():
        raise LibraryError(f"the bundled demo library is missing ({DEMO_LIBRARY}); "
                           "build it with `python -m tui.demo.build`")
    target_dir = demo_scratch_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(DEMO_LIBRARY, target)
    return target


def run_demo(args) -> int:
    if getattr(args, "library", None):
        error("demo: --library is not used: the demo always opens a scratch copy of the bundled demo "
              f"library; to read {args.library}, run `margin --library {args.library}`")
        return EXIT_USAGE
    try:
        target = scratch_demo_copy()
    except LibraryError as exc:
        error(str(exc))
        return EXIT_USAGE
    if args.path:
        print(target)
        return EXIT_OK
    return _run(target, demo=True)
