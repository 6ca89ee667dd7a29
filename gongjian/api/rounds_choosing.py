"""The unit's order of its intents over the API (结对轮次, #13 point 8): the 志愿顺序 a unit
gives its active intents while choosing is open.

Operations of the rounds router (``gongjian.api.rounds.router``); ``gongjian/api/urls.py``
imports this module. As the page (``rounds/views_choosing.py``, which moves one intent up or
down through the same service): the list must be exactly the unit's active intents; a round
outside the user's scope is a 404, a user who is not a unit's a 403, a refusal 409/422.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema

from gongjian.api.common import WRITE_ERRORS
from gongjian.api.rounds import IntentOut, _round, router
from gongjian.rounds.services_choosing import intent_reorder


class OrderIn(Schema):
    intent_ids: list[int] = Field(
        ..., max_length=200, description="本单位全部有效意向，按志愿顺序（第一个为第 1 志愿）"
    )


@router.put(
    "/{int:round_id}/intents/order",
    response={200: list[IntentOut], **WRITE_ERRORS},
    summary="调整志愿顺序",
    description="结对单位在选择期内重排本单位的有效意向；列表须恰为本单位的全部有效意向。",
)
def reorder(request: HttpRequest, round_id: int, payload: OrderIn) -> Any:
    round_ = _round(request, round_id)
    return intent_reorder(actor=request.user, round_=round_, intent_ids=payload.intent_ids)  # type: ignore[arg-type]
