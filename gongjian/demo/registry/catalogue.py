"""What helping units a county or a city has, and what they are called.

Each kind has a list of the organizations every county (or city) really has — 农业农村局,
人民医院, 农村商业银行… — taken in order, then an endless supply of plausible others
(numbered schools, enterprises with trade names, a university's colleges), so that any
budget of units can be filled with names that are unique and read naturally.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from gongjian.demo.registry.names import PRIVATE_TRADES, STATE_GROUPS, brand, pick, place_stem
from gongjian.demo.registry.scales import split
from gongjian.orgs.models import AgencyLine, OrgKind, OrgLevel

PM, LG, EC, AG, OT = (
    AgencyLine.PARTY_MASS,
    AgencyLine.LEGAL,
    AgencyLine.ECONOMIC,
    AgencyLine.AGRICULTURE,
    AgencyLine.OTHER,
)

# (name, line, is a government department, which may have a 党组 rather than a 机关党委).
# {p} is the place (商南县 / 汉阳市), {w} its party committee (商南县委 / 汉阳市委).
AGENCIES: tuple[tuple[str, str, bool], ...] = (
    ("{p}农业农村局", AG, True),
    ("{w}组织部", PM, False),
    ("{w}宣传部", PM, False),
    ("{p}公安局", LG, True),
    ("{p}发展和改革局", EC, True),
    ("{p}财政局", EC, True),
    ("{p}乡村振兴局", AG, True),
    ("{w}办公室", PM, False),
    ("{p}人民政府办公室", OT, True),
    ("{p}纪委监委机关", LG, False),
    ("{w}政法委员会", LG, False),
    ("{p}人民法院", LG, True),
    ("{p}人民检察院", LG, True),
    ("{p}司法局", LG, True),
    ("{p}水利局", AG, True),
    ("{p}林业局", AG, True),
    ("{p}教育局", OT, True),
    ("{p}卫生健康局", OT, True),
    ("{p}商务局", EC, True),
    ("{p}交通运输局", EC, True),
    ("{p}住房和城乡建设局", EC, True),
    ("{p}自然资源局", EC, True),
    ("{w}统战部", PM, False),
    ("{p}人大常委会机关", PM, False),
    ("{p}政协机关", PM, False),
    ("{p}民政局", OT, True),
    ("{p}人力资源和社会保障局", OT, True),
    ("{p}科学技术局", EC, True),
    ("{p}工业和信息化局", EC, True),
    ("{p}文化和旅游局", OT, True),
    ("{p}市场监督管理局", EC, True),
    ("{p}审计局", EC, True),
    ("{p}统计局", EC, True),
    ("{p}应急管理局", LG, True),
    ("{p}退役军人事务局", OT, True),
    ("{p}医疗保障局", OT, True),
    ("{p}生态环境局", EC, True),
    ("{p}城市管理执法局", LG, True),
    ("{p}行政审批服务局", EC, True),
    ("{p}信访局", LG, True),
    ("{p}供销合作社联合社", AG, True),
    ("{p}总工会", PM, False),
    ("共青团{p}委员会", PM, False),
    ("{p}妇女联合会", PM, False),
    ("{p}科学技术协会", PM, False),
    ("{p}残疾人联合会", PM, False),
    ("{p}税务局", EC, True),
    ("{p}气象局", AG, True),
    ("中共{w}党校", PM, False),
    ("{p}档案馆", PM, False),
    ("{p}机关事务服务中心", OT, True),
    ("{p}住房公积金管理中心", EC, True),
    ("{p}国有资产监督管理局", EC, True),
    ("{p}粮食和物资储备局", AG, True),
)

INSTITUTIONS = (
    "{p}农业技术推广中心",
    "{p}畜牧兽医中心",
    "{p}林业工作站",
    "{p}水土保持工作站",
    "{p}职业教育中心",
    "{p}第一中学",
    "{p}实验小学",
    "{p}图书馆",
    "{p}公共资源交易中心",
    "{p}不动产登记中心",
    "{p}社会保险经办中心",
    "{p}园林绿化服务中心",
    "{p}种子管理站",
    "{p}农产品质量安全检测中心",
    "{p}水文水资源勘测站",
    "{p}博物馆",
    "{p}城乡规划设计院",
    "{p}环境卫生服务中心",
    "{p}特殊教育学校",
    "{p}经济技术开发区管理委员会",
    "{p}农村经济经营管理站",
    "{p}蚕桑茶果站",
    "{p}植保植检站",
)
MEDICAL = (
    "{p}人民医院",
    "{p}中医医院",
    "{p}妇幼保健院",
    "{p}疾病预防控制中心",
    "{p}第二人民医院",
    "{p}精神卫生中心",
    "{p}急救中心",
    "{p}中心血站",
    "{p}康复医院",
    "{p}口腔医院",
    "{p}卫生健康监督所",
)
COUNTY_STATE = (
    "国网{p}供电公司",
    "{p}城市建设投资有限公司",
    "中国移动通信集团{p}分公司",
    "中国电信{p}分公司",
    "中国联通{p}分公司",
    "{p}烟草专卖局（分公司）",
    "中国石化销售{p}分公司",
    "{p}自来水有限公司",
    "{p}国有资产经营有限公司",
    "中国邮政集团{p}分公司",
    "{p}交通建设投资有限公司",
    "{p}农业发展投资有限公司",
)
FINANCE = (
    "{p}农村商业银行",
    "中国农业银行{p}支行",
    "中国邮政储蓄银行{p}支行",
    "中国工商银行{p}支行",
    "中国建设银行{p}支行",
    "中国银行{p}支行",
    "{p}农村信用合作联社",
    "中国人民财产保险{p}支公司",
    "中国人寿保险{p}支公司",
    "交通银行{p}支行",
    "{p}村镇银行",
    "国家开发银行{p}分行",
)
CULTURE = ("{p}融媒体中心", "{p}广播电视台", "{p}日报社", "{p}文化馆", "{p}新华书店", "{p}秦腔剧团", "{p}演艺集团")
UNIVERSITIES = (
    "{c}大学",
    "{c}师范学院",
    "{c}职业技术学院",
    "{c}医学院",
    "{c}理工学院",
    "{c}农林职业技术学院",
    "{c}财经职业学院",
    "{c}卫生职业学院",
    "{c}开放大学",
    "{c}科技学院",
    "{c}旅游职业学院",
    "{c}交通职业技术学院",
    "{c}工业职业技术学院",
    "{c}艺术职业学院",
)
COLLEGES = (
    "农学院",
    "医学院",
    "法学院",
    "经济管理学院",
    "马克思主义学院",
    "信息工程学院",
    "化学化工学院",
    "生命科学学院",
    "土木工程学院",
    "外国语学院",
    "文学院",
    "机械工程学院",
    "环境科学与工程学院",
    "计算机学院",
    "电气工程学院",
    "数学与统计学院",
    "历史文化学院",
    "教育学院",
    "体育学院",
    "艺术学院",
    "新闻传播学院",
    "公共管理学院",
    "药学院",
    "护理学院",
    "食品学院",
    "园艺学院",
    "动物科技学院",
    "林学院",
    "附属医院",
)
RESEARCH_FIELDS = (
    "农业科学研究院",
    "林业科学研究所",
    "畜牧兽医研究所",
    "水利水电勘测设计研究院",
    "环境科学研究院",
    "中药材研究所",
    "蔬菜研究所",
    "茶叶研究所",
    "果树研究所",
    "水产研究所",
    "土壤肥料研究所",
    "农业机械化研究所",
    "食用菌研究所",
    "蚕业研究所",
    "气象科学研究所",
    "地质矿产研究所",
    "农产品加工研究所",
    "生物技术研究所",
    "植物保护研究所",
    "经济作物研究所",
)
SCHOOL_TYPES = ("中学", "小学", "初级中学", "实验学校")

# The work committees a city may have: key -> (name, the kinds of units under it with weights).
WORK_COMMITTEES: dict[str, tuple[str, tuple[tuple[str, float], ...]]] = {
    "organs": ("{p}市级机关工作党委", ((OrgKind.AGENCY, 0.8), (OrgKind.PUBLIC_INSTITUTION, 0.2))),
    "sasac": ("{p}国资委党委", ((OrgKind.STATE_ENTERPRISE, 1.0),)),
    "education": ("{w}教育工委", ((OrgKind.UNIVERSITY, 0.35), (OrgKind.PUBLIC_INSTITUTION, 0.65))),
    "health": ("{w}卫健工委", ((OrgKind.MEDICAL, 1.0),)),
    "finance": ("{w}金融工委", ((OrgKind.FINANCE, 1.0),)),
    "science": ("{w}科技工委", ((OrgKind.RESEARCH_INSTITUTE, 0.5), (OrgKind.PRIVATE_ENTERPRISE, 0.5))),
    "nonpublic": ("{w}两新工委", ((OrgKind.PRIVATE_ENTERPRISE, 0.8), (OrgKind.CULTURE_MEDIA, 0.2))),
}

# A county's (or district's) own units, communities apart.
COUNTY_MIX: tuple[tuple[str, float], ...] = (
    (OrgKind.AGENCY, 0.45),
    (OrgKind.PUBLIC_INSTITUTION, 0.13),
    (OrgKind.MEDICAL, 0.07),
    (OrgKind.STATE_ENTERPRISE, 0.08),
    (OrgKind.PRIVATE_ENTERPRISE, 0.15),
    (OrgKind.FINANCE, 0.08),
    (OrgKind.CULTURE_MEDIA, 0.04),
)

SUFFIX: dict[str, str] = {OrgLevel.COMMITTEE: "党委", OrgLevel.GENERAL_BRANCH: "党总支", OrgLevel.BRANCH: "党支部"}


def numeral(n: int) -> str:
    """Chinese numerals up to 999: 一、十二、一百零五."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + digits[rest]
    else:  # 一百一十二, not 一百十二
        tail = numeral(rest) if rest >= 20 else "一" + numeral(rest)
    return digits[n // 100] + "百" + tail


@dataclass(frozen=True)
class UnitDraft:
    """A helping unit before it has a code, a parent or an id."""

    name: str
    kind: str
    level: str
    line: str = ""


class UnitNamer:
    """Unique unit names for one place: a county (district) or a city's work committees."""

    def __init__(self, rng: random.Random, *, place: str, committee: str, city: str, taken: set[str]) -> None:
        self.rng = rng
        self.fields = {"p": place, "w": committee, "c": city.removesuffix("市")}
        self.taken = taken
        self.sources: dict[str, Iterator[str]] = {}

    def _fill(self, template: str) -> str:
        return template.format(**self.fields)

    def _names(self, kind: str) -> Iterator[str]:
        """Names for ``kind``: first the ones every place has, then endless plausible others."""
        p = self.fields["p"]
        if kind == OrgKind.PUBLIC_INSTITUTION:
            yield from map(self._fill, INSTITUTIONS)
            for n in itertools.count(2):
                for school in SCHOOL_TYPES:
                    yield f"{p}第{numeral(n)}{school}"
        elif kind == OrgKind.MEDICAL:
            yield from map(self._fill, MEDICAL)
            for n in itertools.count(3):
                if n <= 10:  # big cities number their hospitals up to about ten
                    yield f"{p}第{numeral(n)}人民医院"
                yield f"{p}{place_stem(self.rng)}社区卫生服务中心"
        elif kind == OrgKind.STATE_ENTERPRISE:
            yield from map(self._fill, COUNTY_STATE if p.endswith(("县", "区")) else ())
            for group in STATE_GROUPS:
                yield f"{p}{group}有限公司"
            for n in itertools.count(1):
                yield f"{p}{pick(self.rng, STATE_GROUPS)}有限公司第{numeral(n)}分公司"
        elif kind == OrgKind.FINANCE:
            yield from map(self._fill, FINANCE)
            for n in itertools.count(1):
                yield f"{p}农村商业银行第{numeral(n)}支行"
        elif kind == OrgKind.CULTURE_MEDIA:
            yield from map(self._fill, CULTURE)
            while True:
                yield f"{p}{brand(self.rng)}文化传媒有限公司"
        elif kind == OrgKind.UNIVERSITY:
            universities = [self._fill(u) for u in UNIVERSITIES]
            yield from universities
            for college in COLLEGES:
                for university in universities[:4]:
                    yield university + college
            for n in itertools.count(2):
                yield f"{p}第{numeral(n)}职业技术学院"
        elif kind == OrgKind.RESEARCH_INSTITUTE:
            yield from (p + field for field in RESEARCH_FIELDS)
            for n in itertools.count(2):
                yield f"{p}{pick(self.rng, RESEARCH_FIELDS)}第{numeral(n)}分所"
        else:  # private enterprises, and agencies once the list runs out
            while True:
                yield f"{p}{brand(self.rng)}{pick(self.rng, PRIVATE_TRADES)}有限公司"

    def _next_name(self, kind: str) -> str:
        source = self.sources.setdefault(kind, self._names(kind))
        for name in source:
            if name not in self.taken:
                self.taken.add(name)
                return name
        raise AssertionError("name sources are endless")

    def _level(self) -> str:
        roll = self.rng.random()
        return OrgLevel.COMMITTEE if roll < 0.35 else OrgLevel.GENERAL_BRANCH if roll < 0.55 else OrgLevel.BRANCH

    def agencies(self) -> Iterator[UnitDraft]:
        """The place's agencies, most important first; then institutions stand in."""
        for template, line, government in AGENCIES:
            name = self._fill(template)
            if name in self.taken:
                continue
            self.taken.add(name)
            level = self._level()
            if level == OrgLevel.COMMITTEE and government and self.rng.random() < 0.3:
                yield UnitDraft(name + "党组", OrgKind.AGENCY, level, line)
            else:
                organs = "" if name.endswith("机关") else "机关"
                yield UnitDraft(name + organs + SUFFIX[level], OrgKind.AGENCY, level, line)
        while True:
            yield self.make(OrgKind.PUBLIC_INSTITUTION)

    def make(self, kind: str) -> UnitDraft:
        """One more unit of ``kind`` (not agencies: see :meth:`agencies`)."""
        name = self._next_name(kind)
        level = OrgLevel.COMMITTEE if kind == OrgKind.UNIVERSITY else self._level()
        return UnitDraft(name + SUFFIX[level], kind, level)

    def units(self, mix: tuple[tuple[str, float], ...], count: int) -> list[UnitDraft]:
        """``count`` units in the proportions of ``mix``."""
        drafts: list[UnitDraft] = []
        agencies = self.agencies()
        for (kind, _weight), n in zip(mix, split(count, [w for _k, w in mix]), strict=True):
            for _ in range(n):
                drafts.append(next(agencies) if kind == OrgKind.AGENCY else self.make(kind))
        return drafts
