"""Fixture sites of outlets added by profile alone, and a static server for them."""
