"""Models of the inforequests app."""
