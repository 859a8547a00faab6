"""Registration, log in and log out."""
