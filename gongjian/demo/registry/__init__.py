"""Demo data: a realistic registry of a county, a city (Shanghai-sized) or a province.

``generate(scale, seed, password)`` fills an empty database and returns a
:class:`DemoResult`; ``gongjian demo`` is the command around it. The package's parts:
``names`` (Chinese names from syllables), ``catalogue`` (what units a place has),
``tree`` (the organization tree as a plan), ``profiles`` (tags, needs, figures,
resources), ``people``, ``writer`` (bulk inserts), ``users`` and ``reset``.
"""

from __future__ import annotations

from gongjian.demo.registry.scales import SCALES
from gongjian.demo.registry.service import (
    DEFAULT_PASSWORD,
    DemoDataExists,
    DemoResult,
    generate,
    registry_is_empty,
)
from gongjian.demo.registry.users import DEMO_USERNAMES, DemoUser

__all__ = [
    "DEFAULT_PASSWORD",
    "DEMO_USERNAMES",
    "SCALES",
    "DemoDataExists",
    "DemoResult",
    "DemoUser",
    "generate",
    "registry_is_empty",
]
