"""Development tools that are not the product: the local mirror of Al-Osboa
(``python -m devsite.mirror``), the harness that runs the project's commands and
stages, and the generators of labelled pairs and fuzzing inputs.

The tests and the benchmarks both use them; neither imports the other.
"""
