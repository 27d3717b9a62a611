"""Test suite; a package so that ``tests.mirror`` imports from the project root."""
