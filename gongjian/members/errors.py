"""Why a members action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import FieldsRefused, Refused


class MembersActionRefused(Refused):
    """The action is not possible now (report already filed, query already answered...)."""


class MembersInputRefused(FieldsRefused, MembersActionRefused):
    """Bad values of one or more inputs (a form's worth), each with its reason: pages show
    them all next to their fields, the API answers 422."""
