"""Follow-ups: the next steps that keep every networking thread alive."""
