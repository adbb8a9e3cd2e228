"""Widgets: they post messages and never touch the library."""
