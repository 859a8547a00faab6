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


# Every value but the first name may be missing (no company, no target role, nobody who
# introduced you, no name of your own yet), and the sentence that names it is then left out
# whole: so each one stands in a sentence the message reads well without.
DEFAULTS: dict[TemplateKind, Wording] = {
    TemplateKind.FIRST_OUTREACH: Wording(
        subject="A question about your path at {company}",
        body=(
            "Hi {first_name},\n\n"
            "{introduced_by} suggested I get in touch with you. I would love to learn from your "
            "path into your role at {company}. I am working toward the role of {role}.\n\n"
            "Would you have 15 to 20 minutes in the next few weeks to tell me how you got "
            "where you are, and what advice you would give someone starting out?\n\n"
            "Thank you for considering it,\n"
            "{my_name}"
        ),
    ),
    TemplateKind.NUDGE: Wording(
        subject="Re: a question about your path at {company}",
        body=(
            "Hi {first_name},\n\n"
            "Following up in case last week's note got buried. You would be a "
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
            "was a real help. Hearing your story gave me a clearer picture of the role of "
            "{role}. Your advice is already changing what I do next.\n\n"
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
            "difference. I am closer to the role of {role} than I was.\n\n"
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
            "Thank you again for your time and your advice. Your story of getting into "
            "{company} keeps coming back to me.\n\n"
            "Is there one person you think I should talk to next? Someone in the role of "
            "{role} would be ideal. If you are happy to introduce us, I would be grateful.\n\n"
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


# The default thank-you once the day of the interview has passed: "today" no longer fits.
THANK_YOU_LATE = Wording(
    subject=DEFAULTS[TemplateKind.THANK_YOU].subject,
    body=DEFAULTS[TemplateKind.THANK_YOU].body.replace(
        "Thank you for your time today.",
        "Thank you again for your time and for sharing your story.",
    ),
)


# A subject whose only sentence names a missing value would be left empty: each kind's
# subject without one.
PLAIN_SUBJECTS: dict[TemplateKind, str] = {
    TemplateKind.FIRST_OUTREACH: "A question about your career path",
    TemplateKind.NUDGE: "Re: a question about your career path",
    TemplateKind.THANK_YOU: "Thank you",
    TemplateKind.UPDATE: DEFAULTS[TemplateKind.UPDATE].subject,
    TemplateKind.REFERRAL_ASK: DEFAULTS[TemplateKind.REFERRAL_ASK].subject,
}
