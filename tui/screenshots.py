"""Render the README's screenshots (SVG) from the bundled demo library, with the app itself.

    .venv/bin/python -m tui.screenshots [--out screenshots]
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from pathlib import Path

from tui.app import make_app
from tui.demo.build import DEMO_DB

OPEN_NOTED = ["slash", *'title:"summit opens"', "enter", "enter"]
SHOTS = {  # name: (size, keys)
    "main": ((120, 40), []),
    "article": ((120, 40), [*OPEN_NOTED, "right_square_bracket", "right_square_bracket"]),
    "related": ((120, 40), [*OPEN_NOTED, "l"]),
    "notes": ((120, 40), [*OPEN_NOTED, "m"]),
    "note-editor": ((120, 40), [*OPEN_NOTED, "right_curly_bracket", "v", "w", "w", "a", *"Sets the tone."]),
    "search": ((120, 40), ["slash", *"rates since:2026-11-01"]),
    "entity": ((120, 40), [*OPEN_NOTED, "right_square_bracket", "enter"]),
    "narrow": ((80, 24), ["j", "enter"]),
}


async def shoot(name: str, size: tuple[int, int], keys: list[str], out: Path, library: Path) -> Path:
    app = make_app(library, demo=True)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        return Path(app.save_screenshot(f"{name}.svg", str(out)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (size, keys) in SHOTS.items():
        with tempfile.TemporaryDirectory() as tmp:
            library = Path(tmp) / "demo.db"
            shutil.copyfile(DEMO_DB, library)
            print(asyncio.run(shoot(name, size, keys, args.out, library)))


if __name__ == "__main__":
    main()
