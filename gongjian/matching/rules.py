"""Pairing rules (``rules:`` in the policy): which candidate pairs follow a rule, and the
three ways a rule weighs — binding, priority, points (see :data:`policy.RULE_MODES`).

The Shangnan principle (seed 002: "按照‘党群部门联软村，政法部门联乱村，经济部门联穷村，
涉农部门联产业示范村’的原则") is the rule this was made for: a profile can make it binding
(a lax village goes to a party-mass unit whenever one is a candidate), a priority above the
units' preferences, or points added to the score as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gongjian.matching.policy import Policy, Rule


@dataclass
class RuleMarks:
    """Per candidate pair: the binding rule that ruled it out (-1: none), the number of
    priority rules it follows, and the points of the points rules it follows."""

    ruled_out_by: np.ndarray
    priority: np.ndarray
    points: np.ndarray
    followed: np.ndarray  # bit r set: the pair follows policy.rules[r]


def _follows(
    rule: Rule, kinds: Sequence[str], tags: Sequence[tuple[str, ...]], eu: np.ndarray, ev: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(pair follows the rule, village falls under it) for candidate pairs and villages."""
    names = list(rule.match)
    kind_index = np.asarray([names.index(k) if k in rule.match else len(names) for k in kinds], dtype=np.int64)
    wanted = [frozenset(rule.match[k]) for k in names]
    every = rule.tags
    table = np.zeros((len(tags), len(names) + 1), dtype=bool)
    falls = np.zeros(len(tags), dtype=bool)
    for v, village_tags in enumerate(tags):
        if not village_tags or every.isdisjoint(village_tags):
            continue
        falls[v] = True
        for k, want in enumerate(wanted):
            table[v, k] = not want.isdisjoint(village_tags)
    if len(eu) == 0:
        return np.zeros(0, dtype=bool), falls
    return table[ev, kind_index[eu]], falls


def mark_rules(
    policy: Policy,
    kinds: Sequence[str],
    tags: Sequence[tuple[str, ...]],
    eu: np.ndarray,
    ev: np.ndarray,
    n_villages: int,
) -> RuleMarks:
    """Apply every rule of the policy to the candidate pairs ``eu[e], ev[e]``.

    A binding rule rules out, at each village that falls under it and has at least one
    candidate following it, every candidate that does not follow it. Rules apply in the
    policy's order; a later binding rule looks only at the pairs earlier ones left.
    """
    n = len(eu)
    ruled_out_by = np.full(n, -1, dtype=np.int32)
    priority = np.zeros(n, dtype=np.int64)
    points = np.zeros(n, dtype=np.int64)
    followed = np.zeros(n, dtype=np.int64)
    for r, rule in enumerate(policy.rules):
        follows, falls = _follows(rule, kinds, tags, eu, ev)
        followed |= follows.astype(np.int64) << r
        if rule.mode == "binding":
            alive = ruled_out_by < 0
            has = np.bincount(ev[alive & follows], minlength=n_villages) > 0
            out = alive & ~follows & falls[ev] & has[ev]
            ruled_out_by[out] = r
        elif rule.mode == "priority":
            priority += follows
        else:
            points += follows * rule.points
    return RuleMarks(ruled_out_by, priority, points, followed)


def rule_ids(policy: Policy, bits: int) -> tuple[str, ...]:
    """The ids of the rules whose bits are set (see :attr:`RuleMarks.followed`)."""
    return tuple(rule.id for r, rule in enumerate(policy.rules) if bits >> r & 1)
