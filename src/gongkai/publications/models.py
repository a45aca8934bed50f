"""Models of the publications app."""
