"""The shared form fields template (templates/_form_fields.html), as the browser walk saw it:
a field with errors is marked for the red border the summary points at, and the "choose the
file again" line shows only when a file was actually sent."""

from __future__ import annotations

import re
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

import gongjian

AGAIN = "提交未成功，浏览器不会保留已选的文件：请重新选择文件。"


class VisitLike(forms.Form):
    visitors = forms.CharField(label="走访人员")
    photo = forms.FileField(label="照片", required=False)


def render(form: forms.Form) -> str:
    return render_to_string("_form_fields.html", {"form": form})


def test_choose_again_only_when_a_file_was_sent() -> None:
    without = VisitLike(data={"visitors": ""}, files={})
    assert not without.is_valid()
    assert AGAIN not in render(without)
    sent = VisitLike(data={"visitors": ""}, files={"photo": SimpleUploadedFile("a.jpg", b"x")})
    assert not sent.is_valid()
    assert AGAIN in render(sent)


def test_field_with_errors_is_marked_for_the_red_border() -> None:
    form = VisitLike(data={"visitors": ""})
    assert not form.is_valid()
    html = render(form)
    field = re.search(r'<div class="field has-error">.*?</div>', html, re.S)
    assert field and 'name="visitors"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    # The rule must outrank ".form input[type=text]" and ".rec-form .field input" (0,2,1).
    css = (Path(gongjian.__file__).parent / "core/static/gongjian/gongjian.css").read_text()
    assert re.search(r"\.field\.has-error \[aria-invalid=true\][^{]*\{[^}]*border-color: var\(--red\)", css)


class Receipt(forms.Form):
    amount = forms.IntegerField(label="金额")


def test_summary_counts_only_the_fields_marked_below() -> None:
    whole = Receipt(data={"amount": "5"})
    assert whole.is_valid()
    whole.add_error(None, "该笔拨付已确认到账")
    html = render(whole)
    assert "该笔拨付已确认到账" in html and "请看下面标红的项" not in html
    both = Receipt(data={"amount": "x"})
    assert not both.is_valid()
    both.add_error(None, "该笔拨付已确认到账")
    assert "有 1 处需要修改" in render(both)
