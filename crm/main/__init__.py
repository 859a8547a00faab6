"""The dashboard and the pages around it."""
