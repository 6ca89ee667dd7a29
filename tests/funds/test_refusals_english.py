"""Service refusals are translated: the same refusal reads in Chinese first and in English
second, the field's name included (it was raised as a plain Chinese string)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from gongjian.funds.errors import FundsActionRefused
from gongjian.funds.services import check_amount, check_not_future

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(FundsActionRefused) as caught:
        call()
    return caught.value.message


def test_a_refusal_in_both_languages() -> None:
    with translation.override("zh-hans"):
        assert refusal(lambda: check_not_future(TOMORROW, "拨付日期", "date")) == "拨付日期不能晚于今天"
    with translation.override("en"):
        from django.utils.translation import gettext as _

        message = refusal(lambda: check_not_future(TOMORROW, _("拨付日期"), "date"))
        assert message.isascii() and "today" in message, message
        assert refusal(lambda: check_amount(0, "amount")).isascii()
