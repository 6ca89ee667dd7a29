"""Upload checks for photos and evidence: type by extension and content, and size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

PHOTO_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = PHOTO_EXTENSIONS | {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_size(file: UploadedFile | FieldFile, limit: int) -> None:
    size = getattr(file, "size", 0) or 0
    if size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），不能超过 %(limit)d MB")
            % {"size": size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )


def validate_photo(file: UploadedFile | FieldFile) -> None:
    """A photo: jpg/png/webp/gif that Pillow can open, at most 10 MB."""
    if _extension(file.name or "") not in PHOTO_EXTENSIONS:
        raise ValidationError(_("照片只能是 JPG、PNG、WEBP 或 GIF 格式"), code="bad_type")
    _check_size(file, PHOTO_MAX_BYTES)
    # Check the content too: a renamed document must not pass as a photo.
    from PIL import Image, UnidentifiedImageError

    try:
        pos = file.tell() if hasattr(file, "tell") else 0
        with Image.open(file) as img:
            img.verify()
        file.seek(pos)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("照片文件已损坏或不是图片"), code="bad_image") from exc


def validate_evidence(file: UploadedFile | FieldFile) -> None:
    """An evidence file: a photo or an office/PDF document, at most 20 MB."""
    if _extension(file.name or "") not in EVIDENCE_EXTENSIONS:
        raise ValidationError(_("佐证材料只能是图片、PDF、Word、Excel 或 OFD 文件"), code="bad_type")
    _check_size(file, EVIDENCE_MAX_BYTES)
