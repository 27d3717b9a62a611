"""Item pipelines, one module per stage, in the order they run:

normalise → readalso → attribute → dates → dedup → store
"""
