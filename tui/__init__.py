"""margin's user interfaces: the `margin` command (tui.cli) and the Textual app (tui.app)."""
