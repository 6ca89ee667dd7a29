"""The registry: party organizations as a tree, their regions, villages' tags, figures and
needs, units' resources and capacity, and people."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel
from gongjian.orgs.personal_data import mask_id_number, mask_phone


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("区县")
    TOWN = "town", _("乡镇街道")


class Region(models.Model):
    """An administrative division (GB/T 2260 code where known)."""

    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    division_code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3})?(\d{3})?$", _("区划代码应为 6、9 或 12 位数字"))],
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class OrgLevel(models.TextChoices):
    """The party organization's own rank in the tree."""

    PROVINCE_COMMITTEE = "province_committee", _("省委")
    CITY_COMMITTEE = "city_committee", _("市委")
    COUNTY_COMMITTEE = "county_committee", _("区县委")
    WORK_COMMITTEE = "work_committee", _("工作党委")
    COMMITTEE = "committee", _("基层党委")  # 乡镇党委、机关党委、企业党委……
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


class OrgKind(models.TextChoices):
    """What the organization stands in: an agency, an enterprise, a village..."""

    PARTY_COMMITTEE = "party_committee", _("地方党委")
    AGENCY = "agency", _("机关")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("非公企业")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    UNIVERSITY = "university", _("高校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    MEDICAL = "medical", _("医疗卫生")
    CULTURE_MEDIA = "culture_media", _("文化传媒")
    FINANCE = "finance", _("金融机构")
    COMMUNITY = "community", _("街道社区")
    TOWN = "town", _("乡镇")
    VILLAGE = "village", _("村")
    COOPERATIVE = "cooperative", _("农民专业合作社/协会")
    JOINT = "joint", _("联建党组织")  # 村企/村社/村村联建党总支、联村党委 (models_joint)


class AgencyLine(models.TextChoices):
    """An agency's line of work; the codes are the allocation engine's unit kinds."""

    PARTY_MASS = "party-mass", _("党群")
    LEGAL = "legal", _("政法")
    ECONOMIC = "economic", _("经济")
    AGRICULTURE = "agriculture", _("涉农")
    OTHER = "other", _("其他")


# The allocation engine scores by one open vocabulary of unit kinds (spec/allocation.md).
ENGINE_KIND_BY_ORG_KIND: dict[str, str] = {
    OrgKind.STATE_ENTERPRISE: "enterprise",
    OrgKind.PRIVATE_ENTERPRISE: "enterprise",
    OrgKind.PUBLIC_INSTITUTION: "institution",
    OrgKind.UNIVERSITY: "university",
    OrgKind.RESEARCH_INSTITUTE: "research",
    OrgKind.MEDICAL: "hospital",
    OrgKind.CULTURE_MEDIA: "culture",
    OrgKind.FINANCE: "finance",
    OrgKind.COMMUNITY: "community",
    OrgKind.COOPERATIVE: "cooperative",
}


# What can stand on the village side of a pairing (rounds' directory): a village, or a joint
# organization pooling several villages' projects and funds (seed 000, seed 003).
VILLAGE_SIDE_KINDS = frozenset({OrgKind.VILLAGE, OrgKind.JOINT})
# What never helps as a unit: committees, towns, villages, joint organizations.
NON_UNIT_KINDS = frozenset({OrgKind.PARTY_COMMITTEE, OrgKind.TOWN, OrgKind.VILLAGE, OrgKind.JOINT})


class Tag(models.Model):
    """A village tag: 经济薄弱 (weak), 软弱涣散 (lax)... The vocabulary is open."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("村标签")
        verbose_name_plural = _("村标签")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """A kind of help: 资金、技术、人才…; what units offer and villages need."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("资源/需求类别")
        verbose_name_plural = _("资源/需求类别")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


organization_code_validator = RegexValidator(
    r"^[0-9A-Z][0-9A-Z\-]{0,31}$", _("组织代码只能由数字、大写字母和连字符组成，最长 32 位")
)


class Organization(models.Model):
    """A party organization, a node of the tree.

    ``path`` is the materialized path of ids (``/1/4/17/``): a subtree is one indexed
    prefix query, which is what data scope needs on every read.
    """

    code = models.CharField(
        _("组织代码"),
        max_length=32,
        unique=True,
        validators=[organization_code_validator],
        help_text=_("统一社会信用代码或组织机构代码"),
    )
    name = models.CharField(_("名称"), max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("层级深度"), default=0, editable=False)
    level = models.CharField(_("组织层级"), max_length=24, choices=OrgLevel.choices)
    kind = models.CharField(_("单位类型"), max_length=24, choices=OrgKind.choices)
    line = models.CharField(_("机关条线"), max_length=16, choices=AgencyLine.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    capacity = models.PositiveSmallIntegerField(_("可结对村数"), default=0, help_text=_("本单位可结对帮扶的村数量"))
    tags = models.ManyToManyField(Tag, verbose_name=_("村标签"), blank=True, related_name="villages")
    needs = models.ManyToManyField(Resource, verbose_name=_("需求清单"), blank=True, related_name="villages_needing")
    resources = models.ManyToManyField(Resource, verbose_name=_("资源清单"), blank=True, related_name="units_offering")
    name_pinyin = models.CharField(_("全拼"), max_length=512, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=128, blank=True, db_index=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        permissions = [("import_organization", _("可导入组织名册"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.kind == OrgKind.VILLAGE

    @property
    def is_joint(self) -> bool:
        """A joint organization (联建): its members are listed in models_joint."""
        return self.kind == OrgKind.JOINT

    @property
    def is_village_side(self) -> bool:
        """Whether it can be the village side of a pairing: a village or a joint organization."""
        return self.kind in VILLAGE_SIDE_KINDS

    @property
    def engine_kind(self) -> str:
        """The unit kind the allocation engine and policy profiles score by."""
        if self.kind == OrgKind.AGENCY:
            return self.line or AgencyLine.OTHER
        return ENGINE_KIND_BY_ORG_KIND.get(self.kind, self.kind)


class VillageFigure(models.Model):
    """A village's figures for one year."""

    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1949)])
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    party_members = models.PositiveIntegerField(_("党员数"), null=True, blank=True)
    collective_income = models.DecimalField(
        _("村集体经济收入（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("村情数据")
        verbose_name_plural = _("村情数据")
        ordering = ["village", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="figure_unique_village_year"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.year}"


class Person(EncryptedModel):
    """A party member or cadre. Phone and ID number are personal data: masked by default,
    stored SM4-encrypted and found through their blind index (``gongjian.core.fields``)."""

    name = models.CharField(_("姓名"), max_length=64)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="people"
    )
    post = models.CharField(_("职务"), max_length=64, blank=True)
    phone = EncryptedCharField(
        _("手机号码"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^1\d{10}$", _("手机号码应为 11 位数字，以 1 开头"))],
        kind="phone",
        mask=mask_phone,
    )
    phone_index = BlindIndexField(source="phone", db_index=True)
    # Null when not collected or once the person's data is erased (个人信息保护法 第四十七条);
    # unique while present (through its blind index).
    id_number = EncryptedCharField(
        _("身份证号"), max_length=18, null=True, blank=True, kind="id_number", mask=mask_id_number
    )
    id_number_index = BlindIndexField(source="id_number", unique=True)
    is_party_member = models.BooleanField(_("党员"), default=True)
    name_pinyin = models.CharField(_("全拼"), max_length=256, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # When the person's personal data was erased; the record stays for the pairing history.
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["organization__path", "id"]
        permissions = [
            ("view_personal_data", _("可查看完整的手机号和身份证号")),
            ("erase_personal_data", _("可删除人员的个人信息")),
        ]

    def __str__(self) -> str:
        return self.name
