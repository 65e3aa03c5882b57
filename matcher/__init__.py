"""Brobygger's matcher: understand the citizen's words, retrieve, check eligibility, rank, suggest."""
