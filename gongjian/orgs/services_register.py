"""Creating a village from the national register of divisions (:mod:`gongjian.orgs.register`):
the administrator gives the 12-digit code, the register gives the name and the town."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongjian.audit.services import Actor
from gongjian.orgs import register
from gongjian.orgs.models import Organization, OrgKind, OrgLevel, RegionLevel
from gongjian.orgs.services import organization_create, region_get_or_create


def village_create_from_register(*, actor: Actor | None, parent: Organization, division_code: str) -> Organization:
    """A village party branch under the town ``parent`` for the register's village committee
    ``division_code``: named after it (五里铺村委会 → 五里铺村党支部), coded with it, in the town's
    region (which takes the register's 9-digit code). Refused when the code is not a village
    committee of the register or names a town other than ``parent``'s."""
    code = division_code.strip()
    entry = register.division(code) if len(code) == 12 and code.isdigit() else None
    if entry is None:
        raise ValidationError({"division_code": _("%(code)s 不是国家行政区划名录中的村级代码") % {"code": code}})
    if not entry.is_village:
        raise ValidationError(
            {"division_code": _("%(code)s 在名录中是“%(name)s”，不是村民委员会") % {"code": code, "name": entry.name}}
        )
    town = register.division(entry.parent_code)
    region = parent.region
    if parent.kind != OrgKind.TOWN or region is None or region.level != RegionLevel.TOWN or town is None:
        raise ValidationError(_("请在乡镇（街道）党组织下按区划代码新建村"))
    if region.division_code and region.division_code != town.code:
        raise ValidationError(
            {
                "division_code": _("%(code)s 属于名录中的“%(town)s”，不属于“%(here)s”")
                % {"code": code, "town": town.name, "here": region.name}
            }
        )
    if not region.division_code:
        if not register.name_matches(town, region.name):
            raise ValidationError(
                {
                    "division_code": _("%(code)s 属于名录中的“%(town)s”，不属于“%(here)s”")
                    % {"code": code, "town": town.name, "here": region.name}
                }
            )
        region = region_get_or_create(
            name=region.name, level=RegionLevel.TOWN, parent=region.parent, division_code=town.code
        )
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"division_code": _("代码为 %(code)s 的组织已存在") % {"code": code}})
    return organization_create(
        actor=actor,
        parent=parent,
        code=code,
        name=f"{entry.stem}村党支部",
        level=OrgLevel.BRANCH,
        kind=OrgKind.VILLAGE,
        region=region,
    )
