"""The user's settings: time zone, weekly goal and follow-up rule numbers."""
