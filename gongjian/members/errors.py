"""Why a members action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class MembersActionRefused(Refused):
    """The action is not possible now (report already filed, query already answered...)."""
