"""Round endpoints: the pairing workflow over REST."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["结对轮次"])
