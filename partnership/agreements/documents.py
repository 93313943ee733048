"""Agreement documents: PDF only, checked by content, stored under the agreement's slug.

The public download is `views.document_download`.
"""

import os

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename, slugify

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def validate_pdf(file):
    """Accept only real PDF files up to MAX_DOCUMENT_BYTES, whatever their name says."""
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"The file is {file.size / 1024 / 1024:.1f} MB; documents may be at most "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(1024)
    file.seek(position)
    if b"%PDF-" not in head:
        raise ValidationError("This file is not a PDF. Upload the document as a PDF file.")


def document_path(instance, filename):
    """agreements/<agreement slug>/<safe name>.pdf — no path parts or odd characters survive."""
    stem, _ = os.path.splitext(os.path.basename(filename))
    safe = get_valid_filename(slugify(stem)[:80] or "document")
    return f"agreements/{instance.agreement.slug}/{safe}.pdf"
