"""Demo people: names, posts, mobile numbers and ID numbers that pass GB 11643."""

from __future__ import annotations

import datetime
import random

from gongjian.demo.registry.names import person_name
from gongjian.demo.registry.plan import OrgNode, PersonDraft
from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.orgs.personal_data import id_number_check_char

# Mobile prefixes of the three carriers (all match 1[3-9]x).
PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

SECRETARY: dict[str, str] = {
    OrgLevel.COMMITTEE: "党委书记",
    OrgLevel.GENERAL_BRANCH: "党总支书记",
    OrgLevel.BRANCH: "党支部书记",
}


def posts_for(org: OrgNode) -> list[str]:
    """The posts of the people an organization lists, most senior first."""
    if org.kind == OrgKind.VILLAGE:
        helped = "weak" in org.tags or "lax" in org.tags
        return ["党支部书记", "第一书记" if helped else "村委会主任", "村务监督委员会主任"]
    if org.kind == OrgKind.TOWN:
        secretary = "党工委书记" if org.name.endswith("党工委") else "党委书记"
        return [secretary, "组织委员", "党建办主任"]
    if org.level in (OrgLevel.CITY_COMMITTEE, OrgLevel.COUNTY_COMMITTEE):
        return ["组织部部长", "组织部副部长", "组织科科长"]
    if org.level == OrgLevel.WORK_COMMITTEE:
        return ["党委书记", "组织处处长", "党建联络员"]
    return [SECRETARY.get(org.level, "党支部书记"), "党建联络员", "组织委员"]


class PersonFactory:
    """Makes people with unique ID numbers; ``year`` anchors their ages."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.id_numbers: set[str] = set()

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def id_number(self, region_code: str, *, male: bool, age: int) -> str:
        """An 18-character resident ID: region, birth date, sequence (odd for men), check."""
        while True:
            birth = datetime.date(self.year - age, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
            sequence = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def person(self, post: str, region_code: str, *, member: bool = True) -> PersonDraft:
        """One person; village cadres are older on average than unit staff."""
        male = self.rng.random() < 0.72  # cadres in the seeds are mostly men
        age = self.rng.randint(35, 60) if "书记" in post or "部长" in post else self.rng.randint(26, 55)
        return PersonDraft(
            name=person_name(self.rng, male=male),
            post=post,
            phone=self.phone(),
            id_number=self.id_number(region_code, male=male, age=age),
            is_party_member=member,
        )

    def staff(self, org: OrgNode, count: int) -> list[PersonDraft]:
        """``count`` people for ``org``; a village head is sometimes not a party member."""
        people = []
        for i, post in enumerate(posts_for(org)[:count]):
            member = not (post == "村委会主任" and self.rng.random() < 0.15) or i == 0
            people.append(self.person(post, org.county_code, member=member))
        return people
