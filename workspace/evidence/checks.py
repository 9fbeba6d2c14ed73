"""What an evidence file is, read from its content rather than its name.

A PDF must open with pypdf and have a page; an image must be a PNG, JPEG or WebP that
Pillow opens and verifies, and is re-encoded, which leaves its metadata (EXIF: camera,
place, time) behind. Anything else, a damaged file or one over the size limit, is refused
with a message for the person who uploaded it.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..vocabulary import EVIDENCE_MAX_BYTES

#: Pillow's format name: the type stored, and how the image is written again.
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
#: Pixels an image may have (a small file may declare a huge image).
MAX_PIXELS = 50_000_000


def too_large() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(EVIDENCE_MAX_BYTES)}
    )


def wrong_type() -> ValidationError:
    return ValidationError(_("Attach a PDF, PNG, JPEG or WebP file; this file is none of them."))


def checked_content(data: bytes) -> tuple[bytes, str]:
    """The bytes to store and their type; raises ``ValidationError`` for a file refused."""
    if len(data) > EVIDENCE_MAX_BYTES:
        raise too_large()
    if data.startswith(b"%PDF-"):
        return _checked_pdf(data), "application/pdf"
    return _reencoded_image(data)


def _checked_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is protected by a password; attach an open copy."))
        if len(reader.pages) == 0:
            raise ValidationError(_("The PDF has no pages."))
        reader.pages[0].extract_text()  # the first page must read
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ValidationError(_("The PDF is damaged and cannot be read.")) from exc
    return data


def _reencoded_image(data: bytes) -> tuple[bytes, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(_("The image is too large in pixels."))
                image.verify()
            if image_format not in IMAGE_FORMATS:
                raise wrong_type()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # the photo as it was taken
                return _encoded(upright, image_format), IMAGE_FORMATS[image_format]
    except ValidationError:
        raise
    except UnidentifiedImageError as exc:
        raise wrong_type() from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as exc:
        raise ValidationError(_("The image is damaged and cannot be read.")) from exc


def _encoded(image: Image.Image, image_format: str) -> bytes:
    """The pixels alone, written again: no EXIF, no text chunks, no comments."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)  # a new image: none of the old one's info
    clean.paste(image)
    buffer = io.BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(buffer, image_format, **options)
    return buffer.getvalue()
