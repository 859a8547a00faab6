"""Contacts: the people a user networks with."""
