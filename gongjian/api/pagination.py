"""The API's one pagination: ninja's page numbers, bounded. An unbounded ``?page=`` past
bigint (9223372036854775807) made PostgreSQL fail on the OFFSET (a 500); now a page number
outside 1..MAX_PAGE is a 422 naming ``page``, like any other out-of-range parameter."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# A million pages of the largest page size is far more than any list holds, and the offset
# stays well inside bigint.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class BoundedPageNumberPagination(PageNumberPagination):
    """``?page=`` (1 to MAX_PAGE) and ``?page_size=`` (1 to MAX_PAGE_SIZE)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码（从 1 开始）")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数（最多 100）")
