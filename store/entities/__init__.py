"""Entity extraction: a model behind a small protocol, then margin's own document-level
clean-up (span trimming, canonical names, kind consistency) and the user's rules."""
