"""People dealt to working groups at random: by a number of groups, or by how many people a group should have.

Pure: the caller brings the people, the groups and the source of chance.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from .errors import N_, Invalid

BY = ("groups", "size")  # a number of groups, or people per group
NUMBER_MAX = 500
NOT_A_NUMBER = N_("Bitte eine Zahl von 1 bis {max} eingeben.")


def groups_for(people: int, *, by: str, number: int) -> int:
    """How many groups: the number asked for, or as many as the size asks (10 people by 4: 3 groups of 4, 3, 3);
    never more groups than people."""
    if by not in BY:
        raise Invalid(N_("Die Anfrage ist unvollständig. Bitte die Seite neu laden."))
    if not 1 <= number <= NUMBER_MAX:
        raise Invalid(NOT_A_NUMBER, max=NUMBER_MAX)
    wanted = number if by == "groups" else math.ceil(people / number)
    return max(1, min(wanted, people))


def deal(people: Sequence[str], groups: Sequence[str], chance: random.Random) -> dict[str, str]:
    """Each person's group: the people shuffled, then dealt round like cards, so group sizes differ by one at most."""
    shuffled = list(people)
    chance.shuffle(shuffled)
    return {person: groups[n % len(groups)] for n, person in enumerate(shuffled)}
