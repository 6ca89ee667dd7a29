"""Chinese names for demo data: places, villages, enterprises and people.

Everything is built from syllable lists with a seeded :class:`random.Random`, so the same
seed gives the same names, and none of them is a real organization's name by design.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

# First and second characters of place names (县、区、镇、乡、街道). Chosen so that any pair
# reads like a Chinese place name: 清河、安平、永宁、丰泽…
PLACE_FIRST = (
    "清安平永宁丰长东西南临新兴富泰和华嘉宜延商洛汉阳武江云白石金凤龙桃柳青太定昌怀德乐顺"
    "崇广高宝靖望通化盛福寿康瑞溪柏松竹梅兰芦杨柘秀凌鹤鹿泾渭沣淇汾洪湘沅资涟邵衡郴浏醴攸"
)
PLACE_SECOND = "平安宁阳川山江水城源丰泉河州原溪远兴定德化康寿林南西东泽陵谷峰岗沙桥湖台坪"
PROVINCE_NAMES = ("秦川", "江淮", "湘楚", "闽越", "燕赵", "晋阳", "巴蜀", "滇南", "陇西", "豫中")

# Villages: 花家村、王家沟村、清泉村、杨庄村、红旗村…
SURNAME_CHARS = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔向汤花"
)
NATURE_CHARS = "清石桃柳杨枣梨松柏杏桑竹梅兰荷莲黄白红青东西南北前后上下大小高新老双三五马牛龙凤鹤金银铁花草麦稻瓦沙"
TERRAIN_CHARS = "泉门园河庄沟湾坪岭山峪坡塘桥湖溪店营寨堡岗洼滩屯铺林田院"
HOMESTEAD_CHARS = "沟湾坪庄岭河峪坡台营寨店堡洼"
MOTTO_NAMES = (
    "红旗",
    "胜利",
    "团结",
    "和平",
    "幸福",
    "丰收",
    "建设",
    "联合",
    "友谊",
    "民主",
    "前进",
    "光明",
    "新民",
    "先锋",
    "东风",
    "向阳",
    "永红",
    "红星",
    "联丰",
    "新华",
    "复兴",
    "长青",
    "富民",
    "兴旺",
)

# Enterprise brands and trades: 华兴建设工程有限公司、金穗农业科技有限公司…
BRAND_FIRST = "华宏金银绿鑫永恒瑞丰泰盛鼎兴嘉博天中新佳汇诚信通达远荣昌隆德和"
BRAND_SECOND = "兴达穗源宇泰盛辉鑫安康华通利丰瑞晟邦联创元景润祥顺泽"
PRIVATE_TRADES = (
    "农业科技",
    "建设工程",
    "食品",
    "生物科技",
    "电子科技",
    "物流",
    "纺织",
    "新材料",
    "机械制造",
    "茶业",
    "中药材",
    "畜牧",
    "果业",
    "电子商务",
    "旅游开发",
    "建材",
    "医药",
    "信息技术",
    "环保科技",
    "家具",
    "食用菌",
    "粮油",
    "乳业",
    "汽车零部件",
)
STATE_GROUPS = (
    "城市建设投资集团",
    "交通投资集团",
    "水务集团",
    "燃气集团",
    "公共交通集团",
    "文化旅游投资集团",
    "农业发展投资集团",
    "国有资产经营",
    "产业投资集团",
    "粮食储备",
    "物流集团",
    "能源集团",
    "环保集团",
    "建工集团",
    "医药集团",
    "供销集团",
    "地产集团",
    "港务集团",
    "电力发展",
    "盐业",
)

# People. Given-name characters lean male or female as they do in the population.
SURNAMES = SURNAME_CHARS[:-1]  # 花 makes village names, rarely a person's surname
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文忠海峰亮成"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英燕玲桂兰红梅琳雪婷慧颖晶洁莉萍倩琴云凤瑶佳欣"


def pick(rng: random.Random, items: Sequence[str]) -> str:
    """One item (a character, when ``items`` is a string)."""
    return items[rng.randrange(len(items))]


def unique_name(make: Callable[[], str], taken: set[str], *, attempts: int = 200) -> str:
    """A name from ``make`` not yet in ``taken`` (which it joins).

    The syllable pools are large enough that a free name comes within a few tries; after
    ``attempts`` a number is appended (二、三…), which real places do too (二村、三组).
    """
    for _ in range(attempts):
        name = make()
        if name not in taken:
            taken.add(name)
            return name
    base = make()
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    taken.add(f"{base}{number}")
    return f"{base}{number}"


def place_stem(rng: random.Random) -> str:
    """Two characters that read like a place: 清河、永宁、丰泽…"""
    while True:
        first, second = pick(rng, PLACE_FIRST), pick(rng, PLACE_SECOND)
        if first != second:
            return first + second


def village_stem(rng: random.Random) -> str:
    """A village's name before 村: 花家、王家沟、清泉、杨庄、红旗…"""
    pattern = rng.random()
    if pattern < 0.30:
        return pick(rng, SURNAME_CHARS) + "家"
    if pattern < 0.50:
        return pick(rng, SURNAME_CHARS) + "家" + pick(rng, HOMESTEAD_CHARS)
    if pattern < 0.80:
        while True:
            first, second = pick(rng, NATURE_CHARS), pick(rng, TERRAIN_CHARS)
            if first != second:
                return first + second
    if pattern < 0.92:
        return pick(rng, SURNAME_CHARS) + pick(rng, TERRAIN_CHARS)
    return pick(rng, MOTTO_NAMES)


def community_stem(rng: random.Random) -> str:
    """A community's name before 社区: a place (清河) or a motto (幸福、向阳)."""
    return place_stem(rng) if rng.random() < 0.6 else pick(rng, MOTTO_NAMES)


def brand(rng: random.Random) -> str:
    """An enterprise's trade name: 华兴、金穗、鼎盛…"""
    while True:
        first, second = pick(rng, BRAND_FIRST), pick(rng, BRAND_SECOND)
        if first != second:
            return first + second


def person_name(rng: random.Random, *, male: bool) -> str:
    """A two- or three-character name; most Chinese given names have two characters."""
    given_chars = GIVEN_MALE if male else GIVEN_FEMALE
    given = pick(rng, given_chars)
    if rng.random() < 0.7:
        second = pick(rng, given_chars)
        given += second if second != given else pick(rng, given_chars)
    return pick(rng, SURNAMES) + given
