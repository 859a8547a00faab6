"""The word sets stored in the tables (statuses, kinds, networks...), each with its labels.

Beside crm/models.py, and like crm/clock.py free of Flask, so the pure rules, parsers and
exporters read the same words as the models, forms, services and templates (where they are
the `enums` global). A member is a str: it compares, stores and renders as its value.
"""

from __future__ import annotations

from enum import StrEnum


class Words(StrEnum):
    """A word set whose members also carry the words a person reads."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Words:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.capitalize()
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a select field, in the order they are declared."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Each value's label."""
        return {member.value: member.label for member in cls}

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """Every value, in the order they are declared."""
        return tuple(member.value for member in cls)


class Network(Words):
    """Where a contact comes from in the user's life."""

    FRIEND = "friend"
    FAMILY = "family"
    WORK = "work"
    ALUMNI = "alumni"
    OTHER = "other"


class ImportFormat(Words):
    """The contacts files we read."""

    LINKEDIN = "linkedin", "LinkedIn"
    GOOGLE = "google", "Google Contacts"
    OUTLOOK = "outlook", "Outlook"
    VCARD = "vcard", "vCard"


class Source(Words):
    """How a contact came in: typed by hand, or from one of the import formats."""

    MANUAL = "manual", "Added by hand"
    LINKEDIN = "linkedin", "LinkedIn"
    GOOGLE = "google", "Google Contacts"
    OUTLOOK = "outlook", "Outlook"
    VCARD = "vcard", "vCard"


class Cadence(Words):
    """How often to keep in touch with a contact."""

    NONE = "none", "None"
    WEEKLY = "1w", "Every week"
    FORTNIGHTLY = "2w", "Every 2 weeks"
    MONTHLY = "1m", "Every month"
    QUARTERLY = "3m", "Every 3 months"
    HALF_YEARLY = "6m", "Every 6 months"


class Channel(Words):
    """How an outreach was sent."""

    EMAIL = "email", "Email"
    LINKEDIN = "linkedin", "LinkedIn message"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text"
    IN_PERSON = "in_person", "In person"
    INTRODUCTION = "introduction", "Introduction"


class OutreachStatus(Words):
    """Whether the person answered an outreach."""

    AWAITING = "awaiting", "Awaiting reply"
    REPLIED = "replied", "Replied"
    NO_RESPONSE = "no_response", "No response"
    DECLINED = "declined", "Declined"


class ThreadStep(Words):
    """What logging a message did to the person's thread (not stored: said after saving)."""

    STARTED = "started", "Started a thread"
    FROM_HISTORY = "from_history", "Logged as history, the steps still ahead planned"
    HISTORY_NUDGE = "history_nudge", "Logged as history, one nudge planned"
    HISTORY_ONLY = "history_only", "Logged as history: nothing to follow up"
    NUDGED = "nudged", "The nudge"
    IN_THREAD = "in_thread", "Part of the open thread"
    ENDED = "ended", "Ended the thread"


class InterviewStatus(Words):
    """Where an informational interview stands."""

    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class FollowUpKind(Words):
    """Why a follow-up exists: added by hand, or planned by a rule.

    Every kind is about one contact but the rut check-in, which is about the user."""

    MANUAL = "manual", "Follow up"
    SECOND_PERSON = "3b", "Reach a second person"
    NUDGE = "7b", "Nudge once"
    THANK_YOU = "thank_you", "Send a thank-you"
    UPDATE = "update", "Send a progress update"
    REFERRAL_ASK = "referral_ask", "Ask for a referral"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep in touch"
    CHECK_IN = "check_in", "Check in on your rut"
    REACH = "reach", "Reach a suggested person"
    TELL_REFERRER = "tell_referrer", "Close the loop"


class FollowUpState(Words):
    """Open until done, dismissed, or closed by an event (a reply, an interview)."""

    OPEN = "open"
    DONE = "done"
    DISMISSED = "dismissed"
    CLOSED = "closed"


class Due(Words):
    """The lists of the Follow-ups page, by due date."""

    OVERDUE = "overdue", "Overdue"
    TODAY = "today", "Today"
    THIS_WEEK = "this_week", "This week"
    LATER = "later", "Later"


class TimelineKind(Words):
    """What an entry on a contact's timeline is (not stored: the timeline is read, not kept)."""

    OUTREACH = "outreach"
    INTERVIEW = "interview"
    FOLLOW_UP = "follow_up"
    NOTE = "note"
    JOB_CHANGE = "job_change"


class TemplateKind(Words):
    """The kinds of message a user keeps a template for."""

    FIRST_OUTREACH = "first_outreach", "First outreach"
    NUDGE = "nudge", "Nudge"
    THANK_YOU = "thank_you", "Thank-you"
    UPDATE = "update", "Progress update"
    REFERRAL_ASK = "referral_ask", "Referral ask"
    TELL_REFERRER = "tell_referrer", "Referral thank-you"


class Permission(Words):
    """Whether a person who suggested a name said the user may mention them."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not asked yet"


class ReferralStage(Words):
    """How far a suggested person got, in order."""

    SUGGESTED = "suggested", "Suggested"
    REACHED = "reached", "Reached"
    REPLIED = "replied", "Replied"
    INTERVIEWED = "interviewed", "Talked with you"
    REFERRED_ON = "referred_on", "Referred you on"


class NetworkStage(Words):
    """How far a person in the tree of introductions got, in order (the Network page)."""

    SUGGESTED = "suggested", "Suggested"
    REACHED = "reached", "Reached"
    REPLIED = "replied", "Replied"
    INTERVIEWED = "interviewed", "Interviewed"
    REFERRED_ON = "referred_on", "Referred on"


class RestoreStatus(Words):
    """Where a restore started on the Import page stands (crm/backup/jobs.py)."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Restoring"
    DONE = "done", "Restored"
    FAILED = "failed", "Not restored"
    # The process running it stopped (a restart, a crash): its transaction never committed.
    INTERRUPTED = "interrupted", "Interrupted"


class AttemptKind(StrEnum):
    """What a login_attempt row counts."""

    LOGIN = "login"
    RESET = "reset"
    # A sync client's device password (crm.account.devices), counted apart from web logins.
    DEVICE = "device"
