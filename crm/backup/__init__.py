"""Backup and restore of one account's data, and a safe copy of the whole SQLite database."""
