"""The directory on a 390-px phone: the choose button reads 选择 on one line (not 选/择), the
round's tabs stay on one line (they scroll sideways), and every page carries our favicon; a
visit photo uploaded by the unit shows in the archive (served by the scoped file view)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import Page, expect

from gongjian.records.models import Visit, VisitPhoto
from tests.conftest import PASSWORD, Cast
from tests.e2e.conftest import login, poll_until, screenshot
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round


def test_directory_buttons_and_tabs_on_a_phone_and_the_favicon(phone_page: Page, cast: Cast) -> None:
    round_ = make_round(cast)
    page = phone_page
    login(page, "unit", PASSWORD)
    page.goto(f"/rounds/{round_.pk}/directory/")
    choose = page.locator(".choose-form button").first
    expect(choose).to_be_visible()
    # One line: the button is no taller than one line of its text plus its padding.
    one_line = choose.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"
    )
    assert one_line == 1, "选择 wraps onto two lines"
    tops = page.locator("nav.tabs a").evaluate_all("links => links.map(a => a.getBoundingClientRect().top)")
    assert len(tops) > 2 and len(set(round(t) for t in tops)) == 1, f"the tabs wrap: {tops}"
    screenshot(page, "phone-directory")

    icon = page.locator("link[rel=icon]")
    href = icon.get_attribute("href")
    assert href and href.endswith(".svg")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.body()


@pytest.mark.django_db(transaction=True)
def test_a_visit_photo_is_visible_in_the_archive_on_a_phone(phone_page: Page, cast: Cast, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    visit = Visit.objects.create(
        pairing=pairing, date=datetime.date.today(), visitor_level="principal", visitors="李建国", content="座谈"
    )
    VisitPhoto.objects.create(visit=visit, image=ContentFile(buffer.getvalue(), name="v.jpg"))
    page = phone_page
    login(page, "unit", PASSWORD)
    page.goto(f"/records/p/{pairing.pk}/?tab=visits")
    image = page.locator(".rec-photos img").first
    expect(image).to_be_visible()
    # The photo loads after the page: wait until the browser has it (a 404 never completes with a width).
    poll_until(page, lambda: image.evaluate("img => img.complete && img.naturalWidth > 0"), what="the photo loaded")
    assert image.evaluate("img => img.naturalWidth") == 64  # the file was served, not a 404
