"""How big each demo scale is, after the seeds' figures (DESIGN.md, "Scale")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Work committees a city may have, in the order a city sets them up (see catalogue.WORK_COMMITTEES).
ALL_WORK_COMMITTEES = ("organs", "sasac", "education", "health", "finance", "science", "nonpublic")


@dataclass(frozen=True)
class Scale:
    """The size of one demo data set. Totals are met exactly; the split is random."""

    name: str
    label: str
    cities: int
    urban_districts: int  # per city: districts of 街道 and 社区, no villages
    rural_counties: int  # per city: counties and suburban districts with towns and villages
    villages: int  # in all
    units: int  # in all: the helping organizations, communities included
    work_committee_share: float  # of the units, those under the city's work committees
    work_committees: tuple[str, ...]
    villages_per_town: tuple[int, int]
    people_per_village: int
    people_per_unit: tuple[int, int]
    # Shares of villages among a city's rural counties; None for an even split with jitter.
    county_weights: tuple[float, ...] | None = None
    rural_suffix: str = "县"  # suburban Shanghai has districts (区), a province mostly counties


SCALES: dict[str, Scale] = {
    # Shangnan: 293 units paired with 167 villages; a second, smaller county beside it so that
    # sibling committees exist (one must never see the other's data).
    "county": Scale(
        name="county",
        label="县级（约 290 个单位、170 个村）",
        cities=1,
        urban_districts=0,
        rural_counties=2,
        villages=170,
        units=290,
        work_committee_share=0.3,
        work_committees=ALL_WORK_COMMITTEES[:4],
        villages_per_town=(13, 19),
        people_per_village=2,
        people_per_unit=(1, 2),
        county_weights=(0.72, 0.28),
    ),
    # Shanghai: about 3,000 units, 1,600 villages in nine suburban districts.
    "city": Scale(
        name="city",
        label="市级（约 3000 个单位、1600 个村）",
        cities=1,
        urban_districts=7,
        rural_counties=9,
        villages=1600,
        units=3000,
        work_committee_share=0.4,
        work_committees=ALL_WORK_COMMITTEES,
        villages_per_town=(12, 20),
        people_per_village=2,
        people_per_unit=(1, 2),
        rural_suffix="区",
    ),
    # A province: about 15,000 units and 20,000 villages in a dozen cities. One person per
    # organization keeps generation fast; the tree, not the people, is what the scale tests.
    "province": Scale(
        name="province",
        label="省级（约 15000 个单位、20000 个村）",
        cities=12,
        urban_districts=2,
        rural_counties=8,
        villages=20000,
        units=15000,
        work_committee_share=0.3,
        work_committees=ALL_WORK_COMMITTEES[:5],
        villages_per_town=(14, 22),
        people_per_village=1,
        people_per_unit=(1, 1),
    ),
}


def split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts
