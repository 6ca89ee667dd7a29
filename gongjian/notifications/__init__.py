"""Notifications and the to-do list: telling people what waits for them."""
