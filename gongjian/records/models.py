"""Models of the `records` app."""
