"""Peer learning: people's learning profiles and the matching rounds that pair learners with sharers."""
