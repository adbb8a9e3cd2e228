"""The reader's start-up pauses Python's cyclic collector (tui/cli/app_cmds.py, for the
first-paint target); it must be running again once the first frame is on screen, or the
reader would never collect a cycle."""
from __future__ import annotations

import gc

from tui.widgets.article_list import ArticleList


async def test_the_collector_paused_for_start_up_runs_again_after_the_first_frame(app):
    gc.disable()  # as `margin` does before it imports the reader
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.screen.query_one(ArticleList).row(0) is not None  # the list is painted
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_reader_started_with_the_collector_on_leaves_it_alone(app):
    frozen = gc.get_freeze_count()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == frozen
