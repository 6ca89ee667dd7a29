"""The registry's long work, registered with the jobs (:mod:`gongjian.jobs`) from
:class:`gongjian.orgs.apps.OrgsConfig`: where a user's jobs are filed (the user's subtree),
the imports and the exports of organizations and people."""

from __future__ import annotations

from typing import Any

from gongjian.jobs.exports import Exporter, register_exporter
from gongjian.jobs.services import register_filing
from gongjian.jobs.work import register_importer
from gongjian.orgs.exports import export_table
from gongjian.orgs.import_organizations import organization_import
from gongjian.orgs.import_people import person_import
from gongjian.orgs.scope import subtree_path
from gongjian.orgs.selectors import organizations_for_register_sheet, person_list


def _organizations(user: Any, args: dict[str, Any]) -> int:
    return organizations_for_register_sheet(user=user).count()


def _people(user: Any, args: dict[str, Any]) -> int:
    return person_list(user=user).count()


def _registry(user: Any, args: dict[str, Any]) -> bytes:
    return export_table(user=user, sheet=args["sheet"], fmt=args["fmt"], full=bool(args.get("full")))


register_filing(subtree_path)
register_importer("organizations", organization_import, page="orgs:list")
register_importer("people", person_import, page="orgs:person_list")
register_exporter("organizations", Exporter("组织名册", _organizations, _registry))
register_exporter("people", Exporter("人员名册", _people, _registry))
