"""Informational interviews: scheduling, prep, notes and what follows."""
