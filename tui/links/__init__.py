"""Links out of the reader: the body's links, the browser, the clipboard, pipe-to."""
