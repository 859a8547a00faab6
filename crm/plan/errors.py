"""The one error a plan change raises, shared by every step."""


class PlanError(ValueError):
    """A plan change that cannot be made; the message says why, in the user's words."""
