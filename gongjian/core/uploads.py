"""Every file a user uploads is checked here, before anything reads or stores it: its size
(from ``file.size``, before a byte is read), its extension, and that its content is what
the extension says (an HTML page renamed ``凭证.pdf`` is refused). Limits are settings:

- ``UPLOAD_SPREADSHEET_MAX_BYTES`` and ``UPLOAD_SPREADSHEET_MAX_ROWS``: imports (xlsx, CSV);
  ``UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES``: what an xlsx may expand to (a zip bomb);
- ``UPLOAD_PHOTO_MAX_BYTES``: visit photos; ``UPLOAD_DOCUMENT_MAX_BYTES``: evidence and
  vouchers (photos or office/PDF/OFD documents).

The checks are Django validators (a :class:`django.core.exceptions.ValidationError` with a
Chinese message), so that a form shows them next to the field and keeps the page; the
services call the same validators for callers that do not come through a form.
:func:`spreadsheet_upload` is the one flow of the import pages: form, checks, import, the
row/column error list.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.core.errors import Refused
from gongjian.core.tabular import CellError, TableRejected, max_rows

MB = 1024 * 1024
SPREADSHEET_EXTENSIONS = frozenset({"xlsx", "csv"})
PHOTO_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif"})
# Office documents of the old binary kind (Word/Excel 97-2003, WPS 文字/表格) are OLE2
# compound files; the new kinds are zips; OFD (GB/T 33190, China's fixed-layout format) is
# a zip holding OFD.xml.
OLE2_EXTENSIONS = frozenset({"doc", "xls", "wps", "et"})
OOXML_EXTENSIONS = frozenset({"docx", "xlsx"})
DOCUMENT_EXTENSIONS = PHOTO_EXTENSIONS | OLE2_EXTENSIONS | OOXML_EXTENSIONS | {"pdf", "ofd"}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"


def limit(name: str, default: int) -> int:
    """A size or row limit from settings (``UPLOAD_…``), ``default`` when not set."""
    return int(getattr(settings, name, default))


def extension(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when none)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_size(file: Any, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes``, from its declared size (nothing is read)."""
    size = getattr(file, "size", 0) or 0
    if size > max_bytes:
        raise ValidationError(
            _("文件过大（%(size).1f MB），不能超过 %(limit)s MB") % {"size": size / MB, "limit": f"{max_bytes / MB:g}"},
            code="too_large",
        )


def _head(file: IO[bytes], n: int = 8) -> bytes:
    """The first ``n`` bytes, the file left at its start."""
    file.seek(0)
    head = file.read(n)
    file.seek(0)
    return head


def _zip_names(file: IO[bytes], max_unzipped: int) -> set[str]:
    """The member names of a zip; refused if it is not one or expands past ``max_unzipped``."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("文件内容与扩展名不符：不是有效的压缩文档"), code="bad_content") from exc
    finally:
        file.seek(0)
    if sum(m.file_size for m in members) > max_unzipped:
        raise ValidationError(_("文件解压后过大，请拆分后再上传"), code="too_large")
    return {m.filename for m in members}


def _check_ooxml(file: IO[bytes], what: str) -> None:
    """An Office Open XML document (xlsx, docx): a zip holding ``[Content_Types].xml``."""
    max_unzipped = limit("UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES", 200 * MB)
    if _head(file, 4) != ZIP_MAGIC or "[Content_Types].xml" not in _zip_names(file, max_unzipped):
        raise ValidationError(_("文件内容与扩展名不符：不是有效的 %(type)s 文件") % {"type": what}, code="bad_content")


def decode_text(data: bytes) -> str | None:
    """CSV text as users' Excel and WPS save it: UTF-8 (with or without BOM) or GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _check_csv(file: IO[bytes]) -> None:
    file.seek(0)
    data = file.read()
    file.seek(0)
    text = decode_text(data) if isinstance(data, bytes) else None
    if text is None:
        raise ValidationError(
            _("文件内容与扩展名不符：CSV 文件应为 UTF-8 或 GB18030 编码的文本，请另存为 CSV 或 xlsx 文件"),
            code="bad_content",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationError(
            _("文件第 %(line)d 行含有空字符（NUL），不是文本格式的 CSV，请另存为 CSV 或 xlsx 文件") % {"line": line},
            code="bad_content",
        )
    _check_row_count(sum(1 for _row in csv.reader(io.StringIO(text))))


def _check_row_count(rows_with_header: int | None) -> None:
    most = max_rows()
    if rows_with_header is not None and rows_with_header - 1 > most:
        raise ValidationError(
            _("文件有 %(rows)d 行数据，超过 %(most)d 行的上限，请拆分后分批导入")
            % {"rows": rows_with_header - 1, "most": most},
            code="too_many_rows",
        )


ROW_TAGS = (b"<row ", b"<row>")


def xlsx_rows(source: IO[bytes] | bytes) -> int | None:
    """The first sheet's rows (header included), counted in the zip without parsing a cell:
    the sheet's XML is inflated a megabyte at a time and its ``<row`` elements counted
    (about 30 ms for 20,000 rows, against seconds for a workbook reader). None when the
    file holds no sheet; the import itself counts again as it reads (and stops at the
    limit), so a file that says less than it holds gains nothing."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not sheets:
                return None
            rows = 0
            with archive.open(sheets[0]) as sheet:
                tail = b""  # a tag cut in two by the chunk boundary is counted once
                while chunk := sheet.read(MB):
                    joined = tail + chunk
                    rows += sum(joined.count(tag) - tail.count(tag) for tag in ROW_TAGS)
                    tail = chunk[-8:]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error) as exc:
        raise ValidationError(_("文件内容与扩展名不符：不是有效的 xlsx 文件"), code="bad_content") from exc
    finally:
        handle.seek(0)
    return rows


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def xlsx_declared_rows(file: IO[bytes]) -> int | None:
    """The first sheet's last row as the workbook declares it (``<dimension ref="A1:R20047">``,
    which Excel and WPS write at the top of the sheet), reading only the sheet's first
    64 KB: what a request can afford. None when the sheet does not say (openpyxl's
    write-only files, some generators): the import job then counts as it reads and stops
    at the limit. A declaration can lie; the job's reading is the check that holds."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
            if not sheets:
                return None
            with archive.open(sheets[0]) as sheet:
                head = sheet.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, zlib.error) as exc:
        raise ValidationError(_("文件内容与扩展名不符：不是有效的 xlsx 文件"), code="bad_content") from exc
    finally:
        file.seek(0)
    found = DIMENSION.search(head)
    if found is None:
        return None
    return int(found.group(1)) if found.group(1) else 1


def count_rows(data: bytes, filename: str) -> int:
    """Data rows in an import file (header excluded): cheap enough for a request, and for a
    job to give its progress bar a total before the importer reads the file. 0 when the
    file cannot be read (the importer reports why)."""
    if extension(filename) == "csv":
        text = decode_text(data) or ""
        return max(0, sum(1 for _row in csv.reader(io.StringIO(text))) - 1)
    try:
        return max(0, (xlsx_rows(data) or 0) - 1)
    except ValidationError:
        return 0


def validate_spreadsheet(file: Any) -> None:
    """An import file: ``.xlsx`` (a real workbook) or ``.csv`` (UTF-8/GB18030 text without
    NUL), within the size and row limits."""
    kind = extension(file.name or "")
    if kind not in SPREADSHEET_EXTENSIONS:
        raise ValidationError(_("只接受 .xlsx 或 .csv 文件"), code="bad_type")
    check_size(file, limit("UPLOAD_SPREADSHEET_MAX_BYTES", 10 * MB))
    if kind == "xlsx":
        _check_ooxml(file, "xlsx")
        # The declared size only (the whole sheet is inflated and counted by the job).
        _check_row_count(xlsx_declared_rows(file))
    else:
        _check_csv(file)


def _check_image(file: Any) -> None:
    # Pillow parses the header only (verify); a decompression bomb (a tiny file declaring a
    # gigantic picture) is refused by Pillow's own pixel limit.
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as img:
            img.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("图片文件已损坏或不是图片"), code="bad_image") from exc
    finally:
        file.seek(0)


def validate_photo(file: Any) -> None:
    """A photo: JPG/PNG/WEBP/GIF that Pillow can open, within ``UPLOAD_PHOTO_MAX_BYTES``."""
    if extension(file.name or "") not in PHOTO_EXTENSIONS:
        raise ValidationError(_("照片只能是 JPG、PNG、WEBP 或 GIF 格式"), code="bad_type")
    check_size(file, limit("UPLOAD_PHOTO_MAX_BYTES", 10 * MB))
    _check_image(file)


def validate_document(file: Any) -> None:
    """Evidence or a voucher: a photo, PDF, Word/Excel/WPS or OFD document whose content
    matches its extension, within ``UPLOAD_DOCUMENT_MAX_BYTES``."""
    kind = extension(file.name or "")
    if kind not in DOCUMENT_EXTENSIONS:
        raise ValidationError(_("佐证材料只能是图片、PDF、Word、Excel、WPS 或 OFD 文件"), code="bad_type")
    check_size(file, limit("UPLOAD_DOCUMENT_MAX_BYTES", 20 * MB))
    if kind in PHOTO_EXTENSIONS:
        _check_image(file)
    elif kind == "pdf":
        if _head(file, 5) != PDF_MAGIC:
            raise ValidationError(_("文件内容与扩展名不符：不是有效的 PDF 文件"), code="bad_content")
    elif kind in OOXML_EXTENSIONS:
        _check_ooxml(file, kind)
    elif kind in OLE2_EXTENSIONS:
        # WPS also saves .wps/.et in the new zip form; both are accepted.
        head = _head(file, 8)
        if head != OLE2_MAGIC and not (head[:4] == ZIP_MAGIC and kind in {"wps", "et"}):
            raise ValidationError(
                _("文件内容与扩展名不符：不是有效的 %(type)s 文件") % {"type": kind}, code="bad_content"
            )
    else:  # ofd
        max_unzipped = limit("UPLOAD_SPREADSHEET_MAX_UNZIPPED_BYTES", 200 * MB)
        names = _zip_names(file, max_unzipped) if _head(file, 4) == ZIP_MAGIC else set()
        if not any(name.rsplit("/", 1)[-1] == "OFD.xml" for name in names):
            raise ValidationError(_("文件内容与扩展名不符：不是有效的 OFD 文件"), code="bad_content")


class SpreadsheetForm(forms.Form):
    """The import form of every spreadsheet page: one file, checked by :func:`validate_spreadsheet`."""

    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"), validators=[validate_spreadsheet])


T = TypeVar("T")


@dataclass
class SpreadsheetUpload(Generic[T]):
    """What an import page shows after a request: the form (with the user's file errors),
    the import's result when it ran, or the list of bad cells."""

    form: forms.Form
    posted: bool = False
    done: bool = False
    result: T | None = None
    errors: list[CellError] = field(default_factory=list)

    @property
    def status(self) -> int:
        """400 when a posted file was refused (the page is shown again with the reasons)."""
        return 400 if self.posted and not self.done else 200

    def context(self) -> dict[str, Any]:
        """The template variables every import page uses: ``form``, ``errors`` (at most
        1,000 shown) and ``error_count``."""
        return {"form": self.form, "errors": self.errors[:1000], "error_count": len(self.errors)}


def spreadsheet_upload(
    request: HttpRequest,
    run: Callable[[bytes, str], T],
    *,
    form_class: type[forms.Form] = SpreadsheetForm,
) -> SpreadsheetUpload[T]:
    """The import pages' one flow: on POST, check the file (size, type, content, rows —
    the form's validators), then ``run(data, filename)``; a bad cell anywhere and nothing
    is imported, every bad cell listed; a service's refusal shown as a message."""
    form = form_class(request.POST or None, request.FILES or None)
    upload: SpreadsheetUpload[T] = SpreadsheetUpload(form, posted=request.method == "POST")
    if not upload.posted or not form.is_valid():
        return upload
    file = form.cleaned_data["file"]
    file.seek(0)
    try:
        upload.result = run(file.read(), file.name)
    except TableRejected as exc:
        upload.errors = exc.errors
        messages.error(
            request, _("文件有 %(n)d 处错误，未导入任何数据。请修改后重新导入。") % {"n": len(upload.errors)}
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        upload.done = True
    return upload
