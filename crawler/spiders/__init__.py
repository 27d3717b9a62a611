"""Spiders, one per site profile."""
