"""Outreach: logging attempts to reach a contact, and their replies."""
