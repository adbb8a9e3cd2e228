"""Feeds: discovery, subscription lists (OPML, newsboat), polite fetching, parsing into Documents."""
