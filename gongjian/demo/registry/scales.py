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
    # Real places from the national register (gongjian.orgs.register): codes of provinces,
    # cities or counties. Empty with ``villages`` set: invented places of that size (benchmarks
    # that need a given number of rows); empty with ``villages == 0``: every province.
    places: tuple[str, ...] = ()

    @property
    def from_register(self) -> bool:
        """Whether the divisions come from the national register rather than a name generator."""
        return bool(self.places) or self.villages == 0


SCALES: dict[str, Scale] = {
    # Shangnan (seed 002: 293 units paired with 167 villages): 商南县's real towns and villages
    # (104 村委会, 24 居委会), with its neighbour 柞水县 (65 villages) under 商洛市委 so that
    # sibling committees exist (one must never see the other's data).
    "county": Scale(
        name="county",
        label="县级（商洛市商南县、柞水县：约 290 个单位、169 个村）",
        cities=1,
        urban_districts=0,
        rural_counties=2,
        villages=169,
        units=290,
        work_committee_share=0.3,
        work_committees=ALL_WORK_COMMITTEES[:4],
        villages_per_town=(13, 19),
        people_per_village=2,
        people_per_unit=(1, 2),
        places=("611023", "611026"),
    ),
    # Jincheng (seed 000): all six of 晋城市's counties and districts, 1,548 villages; about as
    # many units as Shanghai's 3,000.
    "city": Scale(
        name="city",
        label="市级（晋城市：约 3000 个单位、1500 余个村）",
        cities=1,
        urban_districts=0,
        rural_counties=6,
        villages=1548,
        units=3000,
        work_committee_share=0.4,
        work_committees=ALL_WORK_COMMITTEES,
        villages_per_town=(12, 20),
        people_per_village=2,
        people_per_unit=(1, 2),
        places=("1405",),
    ),
    # A province: 陕西省, ten cities, 16,446 villages, one 省委 above the cities. One person per
    # organization keeps generation fast; the tree, not the people, is what the scale tests.
    "province": Scale(
        name="province",
        label="省级（陕西省：约 15000 个单位、1.6 万余个村）",
        cities=10,
        urban_districts=0,
        rural_counties=0,
        villages=16446,
        units=15000,
        work_committee_share=0.3,
        work_committees=ALL_WORK_COMMITTEES[:5],
        villages_per_town=(14, 22),
        people_per_village=1,
        people_per_unit=(1, 1),
        places=("61",),
    ),
    # The nation: every village committee of the register, for the benchmarks (build_plan
    # only; writing it into a database is the operator's choice). Units in proportion.
    "nation": Scale(
        name="nation",
        label="全国（全部村委会，约 46 万个村；仅用于性能测试）",
        cities=0,
        urban_districts=0,
        rural_counties=0,
        villages=0,
        units=400_000,
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
