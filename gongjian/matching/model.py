"""Public data types of the engine: what the web app passes in and gets back.

Everything here is plain data (frozen dataclasses of strings and ints), so that
selectors can build an :class:`Instance` from rows and services can store a
:class:`Result` without knowing how the engine works inside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from gongjian.matching.policy import Policy
from gongjian.matching.reasons import Reason, describe

Mode = Literal["optimal", "stable"]
# Which villages a result lists as short: below their min, or below their max.
ShortOf = Literal["min", "max"]


@dataclass(frozen=True)
class Unit:
    """A helping party organization (结对单位) and how many villages it can take."""

    id: str
    name: str = ""
    kind: str = ""
    district: str = ""
    capacity: int = 1
    resources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Village:
    """A village party organization (村党组织): it needs ``min_pairs`` units, takes at most
    ``max_pairs`` (the ``min`` and ``max`` columns of ``villages.csv``)."""

    id: str
    name: str = ""
    county: str = ""
    town: str = ""
    tags: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    min_pairs: int = 1
    max_pairs: int = 1


@dataclass(frozen=True)
class Edge:
    """A candidate pair with a score given from outside (a row of ``edges.csv``)."""

    unit: str
    village: str
    score: int


@dataclass(frozen=True)
class Preference:
    """A unit's ranking of a village it chose (1 = first choice)."""

    unit: str
    village: str
    rank: int


@dataclass(frozen=True)
class PairRef:
    """A (unit, village) pair named by ids: a previous pair, a pin or a forbid."""

    unit: str
    village: str


@dataclass(frozen=True)
class Instance:
    """One allocation problem, as the web app or the command line gathers it.

    ``edges=None`` means "no edges file": candidates and scores then come from the
    policy. An empty tuple means "an edges file with no rows": nothing is a candidate.
    """

    units: tuple[Unit, ...]
    villages: tuple[Village, ...]
    policy: Policy = field(default_factory=Policy)
    edges: tuple[Edge, ...] | None = None
    preferences: tuple[Preference, ...] = ()
    previous: tuple[PairRef, ...] = ()
    pins: tuple[PairRef, ...] = ()
    forbids: tuple[PairRef, ...] = ()


@dataclass(frozen=True)
class Pair:
    """A pair of the result, with the components its score is the sum of."""

    unit: str
    village: str
    score: int
    components: tuple[tuple[str, int], ...]
    pinned: bool = False
    rules: tuple[str, ...] = ()  # ids of the policy's pairing rules the pair follows

    @property
    def reasons(self) -> str:
        """Components as ``name:points`` joined by ``;`` (the ``reasons`` column)."""
        return ";".join(f"{name}:{points}" for name, points in self.components)


class UncoveredReason(Enum):
    """Why a village is left below its ``min``; the web app renders its own wording."""

    NO_CANDIDATE = "no_candidate"
    CANDIDATES_AT_CAPACITY = "candidates_at_capacity"
    CANDIDATES_DECLINED = "candidates_declined"
    CANDIDATES_UNSUITED = "candidates_unsuited"


@dataclass(frozen=True)
class Uncovered:
    """A village with fewer pairs than its ``min`` (or ``max``, see :data:`ShortOf`), and why.

    ``candidates`` counts its candidate units (forbidden pairs and pairs a binding rule
    ruled out excluded, counted in ``forbidden`` and ``ruled_out``); ``paired`` of them
    are already paired with it, ``at_capacity`` have no room left, and ``declined`` had
    room but were left out: in stable mode they did not list it; in an optimum pairing
    them would lower the total (score ≤ 0), since otherwise the result would not be optimal.
    """

    village: str
    missing: int
    code: UncoveredReason
    candidates: int
    paired: int
    at_capacity: int
    declined: int
    forbidden: int
    ruled_out: int = 0

    def explanation(self) -> Reason:
        """The structured reason, for :func:`~gongjian.matching.reasons.describe`."""
        return Reason(
            self.code.value,
            {
                "village": self.village,
                "missing": self.missing,
                "candidates": self.candidates,
                "paired": self.paired,
                "at_capacity": self.at_capacity,
                "declined": self.declined,
                "forbidden": self.forbidden,
                "ruled_out": self.ruled_out,
            },
        )

    @property
    def reason(self) -> str:
        """The sentence of the ``reason`` column (English, then Chinese)."""
        reason = self.explanation()
        return f"{describe(reason, 'en')} ({describe(reason, 'zh')})"


@dataclass(frozen=True)
class Seconds:
    """Wall time of the three phases, as ``result.json`` reports them."""

    read: float = 0.0
    solve: float = 0.0
    write: float = 0.0


@dataclass(frozen=True)
class Result:
    """What an allocation run returns: pairs, uncovered villages and the objective."""

    mode: Mode
    pairs: tuple[Pair, ...]
    uncovered: tuple[Uncovered, ...]
    covered_slots: int
    required_slots: int
    total_score: int
    optimal: bool
    seconds: Seconds = field(default_factory=Seconds)
    short_of: ShortOf = "min"
    candidate_pairs: int = 0  # candidates weighed (after forbids and binding rules)
