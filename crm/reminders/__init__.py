"""The morning email: what is due today, once a day, to people who asked for it."""
