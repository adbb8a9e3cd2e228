"""Notes in the margin: anchors that survive edits, links, export and backup."""
