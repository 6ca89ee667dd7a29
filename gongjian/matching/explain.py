"""Why a village got the units it got: each candidate, its score, and why it did or did not."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gongjian.matching.engine import Solution, uncovered


@dataclass(frozen=True)
class CandidateVerdict:
    """One candidate unit of a village and the reason for the outcome."""

    unit: str
    score: int
    reasons: str
    paired: bool
    why: str


@dataclass(frozen=True)
class VillageExplanation:
    """A village's situation and a verdict for each candidate, best score first."""

    village: str
    min_pairs: int
    max_pairs: int
    pairs: int
    summary: str
    candidates: tuple[CandidateVerdict, ...]

    def render(self) -> str:
        """Plain text for the terminal."""
        lines = [
            f"village {self.village}: {self.pairs} pair(s), min {self.min_pairs}, "
            f"max {self.max_pairs}. {self.summary}",
        ]
        for c in self.candidates:
            mark = "✔" if c.paired else "✘"
            lines.append(
                f"  {mark} {c.unit}  score {c.score} ({c.reasons or 'no points'}): {c.why}"
            )
        if not self.candidates:
            lines.append("  (no candidate unit)")
        return "\n".join(lines)


def village_index(solution: Solution, village: str) -> int | None:
    """Position of a village id, or None if there is no such village."""
    try:
        return solution.problem.village_ids.index(village)
    except ValueError:
        return None


def explain_village(solution: Solution, village: str) -> VillageExplanation:
    """Explain one village of a solution; ``KeyError`` if the id is unknown."""
    v = village_index(solution, village)
    if v is None:
        raise KeyError(village)
    problem = solution.problem
    taken = np.zeros(len(problem.eu), dtype=bool)
    taken[solution.chosen] = True
    edges = np.flatnonzero(problem.ev == v)
    edges = edges[np.argsort(-problem.score[edges], kind="stable")]
    count, vmax = int(solution.counts[v]), int(problem.vmax[v])
    verdicts = []
    for e in edges.tolist():
        u = int(problem.eu[e])
        reasons = ";".join(f"{n}:{p}" for n, p in problem.component_pairs(e))
        verdicts.append(
            CandidateVerdict(
                problem.unit_ids[u],
                int(problem.score[e]),
                reasons,
                bool(taken[e]),
                _why(solution, e, taken, count >= vmax, edges),
            )
        )
    short = [x for x in uncovered(solution) if x.village == village]
    summary = short[0].reason if short else "its min is met (最低结对数已满足)"
    if problem.forbidden[v]:
        summary += f"; {problem.forbidden[v]} pair(s) forbidden by forbids"
    if problem.ruled_out[v]:
        summary += f"; {problem.ruled_out[v]} candidate(s) ruled out by a binding pairing rule"
    return VillageExplanation(village, int(problem.vmin[v]), vmax, count, summary, tuple(verdicts))


def _why(
    solution: Solution, e: int, taken: np.ndarray, village_full: bool, edges: np.ndarray
) -> str:
    problem = solution.problem
    u = int(problem.eu[e])
    if taken[e]:
        if problem.pinned[e]:
            return "pinned by pins (指定结对)"
        if solution.mode == "stable":
            rank = int(problem.rank[e])
            return (
                f"paired by deferred acceptance (the unit's choice #{rank})"
                if rank
                else ("added by --repair to reach the village's min (补足最低结对数)")
            )
        return "paired in the optimum"
    if solution.mode == "stable" and problem.rank[e] == 0:
        return "the unit did not list this village in its preferences (单位未选择本村)"
    if solution.used[u] >= problem.capacity[u]:
        others = [int(x) for x in np.flatnonzero(taken & (problem.eu == u)).tolist()]
        listing = ", ".join(
            f"{problem.village_ids[problem.ev[x]]} (score {problem.score[x]})" for x in others[:5]
        )
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        return (
            f"unit at capacity {problem.capacity[u]} with {listing}{more}; "
            "moving it here would cost a covered slot or score elsewhere (单位名额已满)"
        )
    if village_full:
        kept = [int(problem.score[x]) for x in edges.tolist() if taken[x]]
        most = problem.vmax[problem.ev[e]]
        return f"village already has its max {most} pairs, scoring {kept} (本村已满)"
    if solution.mode == "stable":
        return "the village held better-ranked units when this unit proposed (本村已接受更优单位)"
    return "score ≤ 0 and the village's min is met: pairing would lower the total (得分不为正)"
