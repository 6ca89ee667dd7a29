"""Funds vouchers over the API (帮扶资金, #13 point 8): a transfer's and a use's voucher, for a
client that signs in with a token (the pages' file addresses want a session).

Operations of the funds router (``gongjian.api.funds.router``); ``gongjian/api/urls.py``
imports this module. Served by the pages' own views (``funds/views.py``), so that the name,
the scope rule (those who may see the pairing or the village; never public) and the answer
cannot drift apart; a transfer or use outside the scope, or without a voucher, is a 404.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from gongjian.api.common import READ_ERRORS
from gongjian.api.funds import router
from gongjian.funds import views


@router.get(
    "/transfers/{int:transfer_id}/voucher",
    response={200: None, **READ_ERRORS},
    summary="下载拨付凭证",
    description="能查看该结对的用户可下载（文件名如 拨付凭证-花家村-2026-05-03.jpg）；没有凭证的为 404。",
)
def transfer_voucher(request: HttpRequest, transfer_id: int) -> HttpResponseBase:
    return views.transfer_voucher(request, transfer_id)


@router.get(
    "/uses/{int:use_id}/voucher",
    response={200: None, **READ_ERRORS},
    summary="下载支出凭证",
    description="能查看该村或援助结对的用户可下载（不对公众公开）。",
)
def use_voucher(request: HttpRequest, use_id: int) -> HttpResponseBase:
    return views.use_voucher(request, use_id)
