"""The figures above the tree, pure: is "who else should I talk to?" growing the network?"""

from __future__ import annotations

from dataclasses import dataclass

from crm.network.tree import Forest, Person


@dataclass(frozen=True)
class Share:
    """Part of a whole, as a person reads it: "3 of 4 (75%)"."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """The share in whole percent, or None when there is no whole to share."""
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class Figures:
    interviews_held: int
    # People introduced by someone, and those whose introducer the user interviewed.
    suggested: int
    suggested_by_interviewed: int
    # Suggested people reached, of all suggested; replies of those reached.
    reached: Share
    replied: Share
    # Replies of the people reached whom nobody introduced.
    cold_replied: Share
    # The longest line of introductions, first-degree contact first.
    chain: list[Person]

    @property
    def names_per_interview(self) -> float | None:
        """Names suggested by people interviewed, per interview held (one decimal)."""
        if not self.interviews_held:
            return None
        return round(self.suggested_by_interviewed / self.interviews_held, 1)


def network_figures(
    forest: Forest, interviews_held: int, all_reached: int, all_replied: int
) -> Figures:
    """The figures from the people in the trees and the user's totals of interviews held, of
    people reached and of those who replied (everyone, suggested or not)."""
    flags, parents = forest.people.flags, forest.parents
    reached = replied = by_interviewed = 0
    for person_id, introducer_id in parents.items():
        person_reached, person_replied, _ = flags(person_id)
        reached += person_reached
        replied += person_reached and person_replied
        by_interviewed += flags(introducer_id)[2]
    return Figures(
        interviews_held=interviews_held,
        suggested=len(parents),
        suggested_by_interviewed=by_interviewed,
        reached=Share(reached, len(parents)),
        replied=Share(replied, reached),
        cold_replied=Share(max(0, all_replied - replied), max(0, all_reached - reached)),
        chain=forest.longest_chain(),
    )
