"""Cross-links: related articles, duplicates and stories, each link with its reasons."""
