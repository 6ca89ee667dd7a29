"""A year of co-building on the demo registry, one module per app it writes into; the
``demo_activity`` command runs them in order."""
