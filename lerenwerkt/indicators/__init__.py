"""Stage 3: one function per published figure, computed from case-level records.

Every function takes cleaned frames first and keyword-only options, never changes its
input, and returns a tidy DataFrame (one row per category, column ``aantal`` and where
relevant ``aandeel`` in percent). Definitions are in the docstrings, with where the
report states them.
"""
