"""Structured reasons and their wording: one function, :func:`describe`, words every reason
the engine gives — a pair's score components, a village's shortfall, a refused input — in
Chinese or English, for the web app and the command line alike.

A :class:`Reason` is a code and its parameters (numbers, and ids of units and villages);
the caller passes ``name`` to turn an id into what its reader knows (the web app: the
organization's name and county), so that no caller parses the engine's sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Language = Literal["zh", "en"]
# What a reason is about: the pairing round's units and villages, or dispatch's cadres.
Context = Literal["pairing", "dispatch"]
# name(kind, id): kind is "unit" or "village"; returns the text shown for that id.
Namer = Callable[[str, str], str]


@dataclass(frozen=True)
class Reason:
    """A code and its parameters, e.g. ``Reason("pin_forbidden", {"unit": "12", "village": "40"})``."""

    code: str
    params: Mapping[str, int | str] = field(default_factory=dict)


# Score components (the ``reasons`` column): the label of each, by context and language.
_COMPONENTS: dict[str, dict[str, tuple[str, str]]] = {
    "pairing": {
        "preference": ("志愿", "preference"),
        "affinity": ("类别对口", "kind and tag"),
        "renewal": ("续签", "renewal"),
        "needs": ("需求匹配", "needs met"),
        "rule": ("结对原则", "pairing rule"),
        "given": ("给定分值", "given score"),
    },
    "dispatch": {
        "preference": ("本人意向", "own wish"),
        "affinity": ("重点村", "priority village"),
        "renewal": ("续任", "second term"),
        "needs": ("专长对口", "skills match"),
        "rule": ("选派原则", "dispatch rule"),
        "given": ("给定分值", "given score"),
    },
}

# Sentences: (Chinese, English) templates over the parameters (and {unit}/{village} names).
_SENTENCES: dict[str, tuple[str, str]] = {
    # A village short of its min (pairing) or of the cadres it needs (dispatch).
    "no_candidate": ("没有任何候选单位", "no candidate unit at all"),
    "candidates_at_capacity": (
        "全部 {candidates} 个候选单位名额已满",
        "all {candidates} candidate units are at capacity",
    ),
    "candidates_declined": (
        "{candidates} 个候选单位：{at_capacity} 个名额已满，{declined} 个未选择本村",
        "{candidates} candidate units: {at_capacity} at capacity, {declined} did not choose it",
    ),
    "candidates_unsuited": (
        "{candidates} 个候选单位：{at_capacity} 个名额已满，{declined} 个与本村得分不为正（结对会降低总分）",
        "{candidates} candidate units: {at_capacity} at capacity, {declined} score nothing here "
        "(pairing them would lower the total)",
    ),
    "paired": ("，其中 {paired} 个已与本村结对", ", {paired} already paired with it"),
    "forbidden": ("；另有 {forbidden} 个被禁止结对", "; {forbidden} more forbidden"),
    "ruled_out": (
        "；另有 {ruled_out} 个因结对原则不作候选",
        "; {ruled_out} more ruled out by a binding pairing rule",
    ),
    # Refused input: pins, and anything else the engine rejects.
    "pin_forbidden": (
        "指定结对“{unit}—{village}”同时被禁止结对，不能既指定又禁止",
        "the pin {unit} – {village} is also forbidden; a pair cannot be both",
    ),
    "pin_not_candidate": (
        "指定结对“{unit}—{village}”不是候选组合：{source}",
        "the pin {unit} – {village} is not a candidate pair: {source}",
    ),
    "pin_over_capacity": (
        "指定结对“{unit}—{village}”超出该单位的结对名额（{capacity} 个）",
        "the pin {unit} – {village} exceeds the unit's capacity of {capacity}",
    ),
    "pin_over_max": (
        "指定结对“{unit}—{village}”超出该村的结对上限（{max} 个）",
        "the pin {unit} – {village} exceeds the village's maximum of {max}",
    ),
    "pin_breaks_rule": (
        "指定结对“{unit}—{village}”违反必须遵守的结对原则（{rule}）：该村另有符合原则的候选单位",
        "the pin {unit} – {village} breaks the binding pairing rule {rule}: the village has candidates that follow it",
    ),
    "bad_input": ("分配条件有误：{message}", "bad allocation input: {message}"),
}

# Dispatch's words for the same shortfalls: candidates (人选) and villages that need a cadre.
_DISPATCH_SENTENCES: dict[str, tuple[str, str]] = {
    "no_candidate": (
        "没有可选人选：人才库中没有人选的意向区县（或所在区县）包括本村",
        "no candidate: no pooled candidate's wished counties (or own county) include this village",
    ),
    "candidates_at_capacity": (
        "{candidates} 名可选人选均已匹配到其他村（优先村或得分更高的村）",
        "all {candidates} possible candidates are matched to other villages (priority or better-scoring ones)",
    ),
    "candidates_unsuited": (
        "{candidates} 名可选人选中 {at_capacity} 名已匹配到其他村，其余 {declined} 名与本村专长、意向均不对口"
        "（得分为 0），可人工选派",
        "of {candidates} possible candidates {at_capacity} are matched elsewhere and {declined} share neither "
        "skills nor wishes with this village (score 0); a cadre can be chosen by hand",
    ),
    "paired": ("，其中 {paired} 名已匹配到本村", ", {paired} already matched here"),
    "forbidden": ("；另有 {forbidden} 名已被管理员排除", "; {forbidden} more taken out by the admin"),
}

_SOURCES = {
    "edges": ("给定的候选组合中没有这一对", "it is not among the given candidate pairs"),
    "geography": (
        "对口安排表不允许该单位所在区县帮扶该村所在县",
        "the district table does not let the unit's district help the village's county",
    ),
}


def _plain(kind: str, ident: str) -> str:
    return ident


def describe(reason: Reason, language: Language = "zh", name: Namer | None = None, context: Context = "pairing") -> str:
    """The sentence (or, for a score component, the label) of a reason.

    ``name(kind, id)`` words the ``unit`` and ``village`` parameters (default: the id).
    Shortfall reasons carry ``paired``, ``forbidden`` and ``ruled_out`` counts, added as
    clauses when non-zero.
    """
    lang = 0 if language == "zh" else 1
    if reason.code in _COMPONENTS[context]:
        return _COMPONENTS[context][reason.code][lang]
    namer = name or _plain
    params = dict(reason.params)
    for kind in ("unit", "village"):
        if kind in params:
            params[kind] = namer(kind, str(params[kind]))
    if "source" in params:
        params["source"] = _SOURCES.get(str(params["source"]), (params["source"],) * 2)[lang]
    sentences = {**_SENTENCES, **_DISPATCH_SENTENCES} if context == "dispatch" else _SENTENCES
    template = sentences.get(reason.code)
    if template is None:
        return f"{reason.code} {params}"
    text = template[lang].format(**params)
    shortfall = reason.code in ("candidates_at_capacity", "candidates_declined", "candidates_unsuited")
    if shortfall and params.get("paired"):
        text += sentences["paired"][lang].format(**params)
    for extra in ("forbidden", "ruled_out"):
        if params.get(extra):
            text += sentences[extra][lang].format(**params)
    return text


def component_labels(
    components: str | Sequence[tuple[str, int]] | Sequence[list[str | int]],
    language: Language = "zh",
    context: Context = "pairing",
) -> list[tuple[str, int]]:
    """A pair's score components as (label, points), in the order the engine gives them.

    ``components`` may be the structured pairs or the ``reasons`` text the engine writes
    (``preference:100;affinity:50``, as stored with a pairing or an appointment).
    """
    items = components_from_text(components) if isinstance(components, str) else components
    return [(describe(Reason(str(code)), language, context=context), int(points)) for code, points in items]


def components_from_text(reasons: str) -> tuple[tuple[str, int], ...]:
    """Components from the ``reasons`` column (``preference:100;affinity:50``), for pairs
    stored before results carried them structured."""
    out = []
    for part in reasons.split(";"):
        code, _sep, points = part.partition(":")
        if code:
            try:
                out.append((code, int(points)))
            except ValueError:
                out.append((code, 0))
    return tuple(out)
