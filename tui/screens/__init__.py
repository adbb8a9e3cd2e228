"""Screens: they call the store façade and hand data to widgets."""
