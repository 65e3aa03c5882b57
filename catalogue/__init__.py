"""Brobygger's catalogue: offers, providers, locations, schedules and eligibility.

This is the project's own ``catalogue`` package, not the PyPI package of the same name
(a spaCy dependency); ``IS_BROBYGGER_CATALOGUE`` lets tests prove which one was imported.
"""

IS_BROBYGGER_CATALOGUE = True
