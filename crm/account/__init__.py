"""The Account page: name, email, password, sessions, deleting the account."""
