"""Two-factor sign-in: a TOTP code from an authenticator app after the password (RFC 6238)."""
