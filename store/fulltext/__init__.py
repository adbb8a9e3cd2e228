"""Whole articles from summary-only feeds: fetch an entry's page, extract the article,
store it as the current version (store.py: settings, queue, results; fetcher.py: polite
fetching; extract.py: trafilatura and the checks around it)."""
