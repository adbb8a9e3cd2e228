"""margin's user interfaces: the `margin` command and the Textual reader.

- `cli/`: `margin` and its subcommands, one module per area (`python -m tui` runs it);
  progress bars on long work, one-line errors, output fitted to the terminal.
- `app.py`: the App, thin: config, theme, keymap, the reader as its default screen.
- `screens/`: the reader (its actions split by concern: `reader_actions`, `reader_search`,
  `reader_links`, `fulltext_action`), entity page, note editor, help, dialogs. Screens talk
  to the store only through `store.library.Library` (import-linter contract).
- `widgets/`: article list, article view, panels, footer, search line. Widgets never touch
  the library: they take plain data and post messages.
- `links/`: the browser, the clipboard and pipe-to, and the numbering of an article's links.
- `commands.py`: the command palette's providers; `keymap.py`: the config file.
- `demo/`: the bundled offline demo library and its builder; `screenshots.py` renders
  `screenshots/` from it.
"""
