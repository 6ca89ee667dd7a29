"""Upload checks for photos and evidence. They are ``core.uploads``' (size from settings,
content matching the extension); these names stay because the models' migrations refer to
them."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from gongjian.core import uploads


def validate_photo(file: UploadedFile | FieldFile) -> None:
    """A photo: jpg/png/webp/gif that Pillow can open, within ``UPLOAD_PHOTO_MAX_BYTES``."""
    uploads.validate_photo(file)


def validate_evidence(file: UploadedFile | FieldFile) -> None:
    """An evidence file or voucher: a photo or an office/PDF/OFD document whose content
    matches its extension, within ``UPLOAD_DOCUMENT_MAX_BYTES``."""
    uploads.validate_document(file)
