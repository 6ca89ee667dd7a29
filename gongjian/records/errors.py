"""Why a record action is refused, in words a clerk can act on."""

from __future__ import annotations

from gongjian.core.errors import Refused


class RecordActionRefused(Refused):
    """The action is not possible now (card already countersigned, feedback closed...)."""
