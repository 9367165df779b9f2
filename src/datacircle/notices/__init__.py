"""Email notices to people: sent at once, or gathered into a daily digest when they prefer."""
