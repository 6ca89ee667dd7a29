"""Models of the `dispatch` app."""
