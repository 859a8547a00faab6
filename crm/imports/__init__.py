"""Importing contacts from LinkedIn, Google, Outlook and vCard files."""
