"""Message templates: the user's own wording for each kind of message, filled per contact,
and the check of a message against the method's marks."""
