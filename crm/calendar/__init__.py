"""Taking follow-ups, interviews and contacts into calendars and address books."""
