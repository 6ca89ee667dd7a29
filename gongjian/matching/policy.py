"""Scoring policy: the numbers that differ from place to place.

A policy is either a bare ``policy.yaml`` as the allocation spec gives it, or a
shipped profile (``policies/*.yaml``) whose ``allocation`` key holds that same
mapping next to other sections (visits, funds, ...) that the engine ignores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongjian.matching.errors import AllocationInputError

_KEYS = ("preference_points", "renewal_points", "need_points", "affinity", "geography", "rules")
# Keys that mark a shipped profile (policies/*.yaml) rather than a bare policy.yaml.
_PROFILE_KEYS = ("name", "place", "version", "source")
_RULE_KEYS = ("id", "label", "mode", "points", "match")

# How a pairing rule weighs (issue 14 point 4; the Shangnan principle of seed 002 needs the
# first): ``binding`` — at a village the rule names, only units of a matching kind are
# candidates whenever at least one is; ``priority`` — maximise the pairs that follow the rule
# after covered slots and before any score; ``points`` — the rule adds ``points`` to the score.
RULE_MODES = ("binding", "priority", "points")


@dataclass(frozen=True)
class Rule:
    """A pairing rule: units of kind K go to villages carrying one of ``match[K]``'s tags.

    A village *falls under* the rule if it carries any tag the rule names; a pair *follows*
    it if the village carries a tag named for the unit's kind.
    """

    id: str
    mode: str = "points"
    match: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    points: int = 0
    label: str = ""

    @property
    def tags(self) -> frozenset[str]:
        """Every tag the rule names."""
        return frozenset(t for tags in self.match.values() for t in tags)


@dataclass(frozen=True)
class Policy:
    """Scoring weights and the district→counties geography table.

    With no policy every score is 0, so the engine only maximises coverage.
    ``geography=None`` means every district may help every county; a district
    missing from a given table may help none.
    """

    preference_points: tuple[int, ...] = ()
    renewal_points: int = 0
    need_points: int = 0
    affinity: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    geography: Mapping[str, tuple[str, ...]] | None = None
    rules: tuple[Rule, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, *, file: str = "policy.yaml") -> Policy:
        """Build a policy from a parsed mapping, bare or wrapped in ``allocation:``.

        Raises :class:`AllocationInputError` whose ``column`` is the offending key path.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise AllocationInputError(file, None, None, "must be a mapping of keys to values")
        if "allocation" in data:
            return cls.from_mapping(data["allocation"], file=file)
        if any(key in data for key in _PROFILE_KEYS):
            return cls()  # a profile whose place sets no allocation rules: coverage only
        for key in data:
            if key not in _KEYS:
                raise AllocationInputError(
                    file, None, str(key), f"unknown key; expected one of {', '.join(_KEYS)}"
                )
        points = data.get("preference_points", [])
        if not isinstance(points, list):
            raise AllocationInputError(
                file, None, "preference_points", "must be a list of integers"
            )
        geography = data.get("geography")
        return cls(
            preference_points=tuple(
                _integer(p, file, f"preference_points[{i}]") for i, p in enumerate(points)
            ),
            renewal_points=_integer(data.get("renewal_points", 0), file, "renewal_points"),
            need_points=_integer(data.get("need_points", 0), file, "need_points"),
            affinity=_affinity(data.get("affinity") or {}, file),
            geography=None if geography is None else _geography(geography, file),
            rules=_rules(data.get("rules") or [], file),
        )

    def preference_component(self, rank: int) -> int:
        """Points for a unit's ``rank``-th choice; 0 past the list."""
        return self.preference_points[rank - 1] if 1 <= rank <= len(self.preference_points) else 0


def _integer(value: object, file: str, path: str) -> int:
    # bool is an int subclass; `renewal_points: yes` is a typo, not 1 point.
    if isinstance(value, bool) or not isinstance(value, int):
        raise AllocationInputError(file, None, path, f"must be an integer, not {value!r}")
    return value


def _affinity(value: object, file: str) -> dict[str, dict[str, int]]:
    if not isinstance(value, Mapping):
        raise AllocationInputError(file, None, "affinity", "must map unit kinds to {tag: points}")
    table: dict[str, dict[str, int]] = {}
    for kind, row in value.items():
        if not isinstance(row, Mapping):
            raise AllocationInputError(
                file, None, f"affinity.{kind}", "must map village tags to points"
            )
        table[str(kind)] = {
            str(tag): _integer(points, file, f"affinity.{kind}.{tag}")
            for tag, points in row.items()
        }
    return table


def _rules(value: object, file: str) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        raise AllocationInputError(file, None, "rules", "must be a list of rules")
    rules: list[Rule] = []
    for i, item in enumerate(value):
        where = f"rules[{i}]"
        if not isinstance(item, Mapping):
            raise AllocationInputError(file, None, where, "must map id, mode, match (and points)")
        for key in item:
            if key not in _RULE_KEYS:
                raise AllocationInputError(
                    file, None, f"{where}.{key}", f"unknown key; expected one of {', '.join(_RULE_KEYS)}"
                )
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not rule_id or any(r.id == rule_id for r in rules):
            raise AllocationInputError(file, None, f"{where}.id", "must be a unique, non-empty name")
        mode = item.get("mode", "points")
        if mode not in RULE_MODES:
            raise AllocationInputError(
                file, None, f"{where}.mode", f"must be one of {', '.join(RULE_MODES)}, not {mode!r}"
            )
        match = item.get("match")
        if not isinstance(match, Mapping) or not match:
            raise AllocationInputError(file, None, f"{where}.match", "must map unit kinds to tag lists")
        table: dict[str, tuple[str, ...]] = {}
        for kind, tags in match.items():
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise AllocationInputError(
                    file, None, f"{where}.match.{kind}", "must be a list of village tags"
                )
            table[str(kind)] = tuple(tags)
        points = _integer(item.get("points", 0), file, f"{where}.points")
        if mode != "points" and points:
            raise AllocationInputError(
                file, None, f"{where}.points", f"only a rule of mode points scores points, not {mode}"
            )
        label = item.get("label", "")
        rules.append(Rule(rule_id, mode, table, points, str(label)))
    return tuple(rules)


def _geography(value: object, file: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise AllocationInputError(file, None, "geography", "must map districts to county lists")
    table: dict[str, tuple[str, ...]] = {}
    for district, counties in value.items():
        if not isinstance(counties, list) or not all(isinstance(c, str) for c in counties):
            raise AllocationInputError(
                file, None, f"geography.{district}", "must be a list of county names"
            )
        table[str(district)] = tuple(counties)
    return table


def load_policy(path: Path) -> Policy:
    """Read a ``policy.yaml`` or a profile with an ``allocation`` section.

    Errors name the file, the line of the offending key (as ``row``) and its key path.
    """
    import yaml  # only instances with a policy file pay for the import

    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise AllocationInputError(name, line, None, "is not UTF-8 text") from exc
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = mark.line + 1 if mark is not None else None
        raise AllocationInputError(name, where, None, f"is not valid YAML ({exc})") from exc
    try:
        return Policy.from_mapping(data, file=name)
    except AllocationInputError as exc:
        if exc.column is None or root is None:
            raise
        prefix = "allocation." if isinstance(data, Mapping) and "allocation" in data else ""
        raise AllocationInputError(
            name, _line_of(root, prefix + exc.column), exc.column, exc.reason
        ) from exc


def _line_of(root: Any, path: str) -> int | None:
    """1-based line of the YAML node at a dotted key path (``a.b[2]``), or of its nearest parent."""
    import yaml

    node, line = root, root.start_mark.line + 1
    for part in path.replace("[", ".").replace("]", "").split("."):
        if isinstance(node, yaml.MappingNode):
            hit = [(k, v) for k, v in node.value if k.value == part]
            if not hit:
                break
            line = hit[0][0].start_mark.line + 1
            node = hit[0][1]
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line
