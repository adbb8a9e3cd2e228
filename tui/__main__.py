"""`python -m tui` runs the `margin` command, as the console script does."""
from tui.cli import entry

entry()
