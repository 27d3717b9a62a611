"""Test suite; a package so that ``tests.helpers`` and ``tests.mirror_plugin`` import from the project root."""
