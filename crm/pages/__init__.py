"""Pages built from several features: a contact's page and the dashboard, the follow-ups list.

The only code that imports more than one feature. Its views add routes to the features' own
blueprints, so every endpoint keeps its feature's name (contacts.show, main.dashboard).
"""
