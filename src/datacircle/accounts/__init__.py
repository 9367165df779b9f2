"""Organisations of the network, their work units, and the people in them (with or without a login)."""
