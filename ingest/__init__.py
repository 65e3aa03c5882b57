"""Bringing catalogues in and out: one reader per format, one validator, one writer."""
