"""Import from a peer: pull published modules from another Data Circle's catalogue API."""
