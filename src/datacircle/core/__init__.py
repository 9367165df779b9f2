"""Pure domain code: plain data in, plain data out, no Django imports (see ARCHITECTURE.md)."""
