"""The app's own wording for each message: short, connection first, a question about their
path, never a job request. A user's edits replace these; "Restore the default" brings them back."""

from __future__ import annotations

from dataclasses import dataclass

from crm.enums import TemplateKind


@dataclass(frozen=True)
class Wording:
    """A subject and a body, with placeholders."""

    subject: str
    body: str


DEFAULTS: dict[TemplateKind, Wording] = {
    TemplateKind.FIRST_OUTREACH: Wording(
        subject="A question about your path at {company}",
        body=(
            "Hi {first_name},\n\n"
            "{introduced_by} suggested I get in touch with you. Your move into your role at "
            "{company} is the kind of path I hope to learn from as I work toward {role}.\n\n"
            "Would you have 15 to 20 minutes in the next few weeks to tell me how you got "
            "there, and what advice you would give someone starting out?\n\n"
            "Thank you for considering it,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.NUDGE: Wording(
        subject="Re: a question about your path at {company}",
        body=(
            "Hi {first_name},\n\n"
            "Following up on my note from last week, in case it got buried: you would be a "
            "great person to ask about your path at {company}.\n\n"
            "Would you have 15 to 20 minutes in the coming weeks? Your advice would mean a "
            "lot to me.\n\n"
            "Thank you,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.THANK_YOU: Wording(
        subject="Thank you, {first_name}",
        body=(
            "Hi {first_name},\n\n"
            "Thank you for your time today. Hearing how you found your way to {company} "
            "gave me a clearer picture of the road into {role}, and your advice is already "
            "changing what I do next.\n\n"
            "I will let you know how it goes.\n\n"
            "With thanks,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.UPDATE: Wording(
        subject="An update since we spoke",
        body=(
            "Hi {first_name},\n\n"
            "A quick update since we spoke: I took your advice, and it has already made a "
            "difference in my move toward {role}.\n\n"
            "Thank you again for your time and your candour. I hope all is well for you "
            "at {company}.\n\n"
            "Best wishes,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.REFERRAL_ASK: Wording(
        subject="Who else should I talk to?",
        body=(
            "Hi {first_name},\n\n"
            "Thank you again for your time and your advice; your story of getting into "
            "{company} keeps coming back to me.\n\n"
            "Is there one person you think I should talk to next about {role}? If you are "
            "happy to introduce us, I would be grateful.\n\n"
            "Best,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.TELL_REFERRER: Wording(
        subject="Thank you for the introduction",
        body=(
            "Hi {first_name},\n\n"
            "Thank you for suggesting who to talk to next. You will be glad to hear how it "
            "went: your suggestion led to a real conversation, and your advice keeps shaping "
            "my move toward {role}.\n\n"
            "Your generosity with your network means a lot.\n\n"
            "With thanks,\n"
            "{my_name}"
        ),
    ),
}


# The first outreach to someone nobody introduced: the default's first sentence names the
# introducer, so without one it would open "Hi Ana, suggested I get in touch". The page
# asks the person to write how they are connected instead.
FIRST_OUTREACH_DIRECT = Wording(
    subject=DEFAULTS[TemplateKind.FIRST_OUTREACH].subject,
    body=(
        "Hi {first_name},\n\n"
        "Your move into your role at {company} is the kind of path I hope to learn from as I "
        "work toward {role}.\n\n"
        "Would you have 15 to 20 minutes in the next few weeks to tell me how you got "
        "there, and what advice you would give someone starting out?\n\n"
        "Thank you for considering it,\n"
        "{my_name}"
    ),
)
