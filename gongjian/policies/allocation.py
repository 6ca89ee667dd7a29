"""``allocation:`` — the matching engine's scoring and rules (seed 002 principle, seed 004
preferences and renewal). The engine owns the type and its validation
(:meth:`gongjian.matching.Policy.from_mapping`); this module makes its errors the profile's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongjian.matching import Policy as AllocationPolicy
from gongjian.policies.errors import PolicyProfileError

__all__ = ["AllocationPolicy", "parse"]


def parse(file: str, value: Any, done: Mapping[str, Any]) -> AllocationPolicy:
    if value is not None and not isinstance(value, Mapping):
        raise PolicyProfileError(f"{file}：allocation 应为键值映射")
    try:
        return AllocationPolicy.from_mapping(dict(value or {}), file=file)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        raise PolicyProfileError(message if message.startswith(file) else f"{file}：{message}") from exc
