"""Follow-up rules: when to nudge, thank, and keep in touch."""
