"""Downloads written once per data version and served from a file after that.

A download of every project (a million rows) takes minutes to make and the same bytes come
out until the record changes. The first request streams the rows as they are made and
writes them to a file beside; the next request for the same address, language, host and
data version is answered from that file (at disk speed, in blocks, whatever its size).
Files live under DOWNLOADS_ROOT in a folder per data version: writing into a new version's
folder removes the folders of older versions, so the files on disk are at most those of the
current record (and at most KEPT_PER_VERSION of them). A download cut off half-way leaves no
file behind. CACHE_PAGES turns this on and off with the cache of whole pages.
"""

import hashlib
import os
import shutil
import uuid

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse

from partnership.core import versions
from partnership.core.caching import page_key

# How many downloads of one data version are kept: a visitor trying every combination of
# filters fills the disk no further.
KEPT_PER_VERSION = 500


def _path(request, fmt):
    """The file of this request's download: in its data version's folder, named by the key
    a page at its address is kept under (address, language, host, versions)."""
    name = hashlib.sha256(page_key("download", request).encode()).hexdigest() + f".{fmt}"
    return settings.DOWNLOADS_ROOT / str(versions.for_request(request)) / name


def kept_download(request, fmt, content_type, make_chunks):
    """The response with this request's download: from its file when one was made for the
    current data version, otherwise `make_chunks()` streamed and written to the file as it
    goes. With CACHE_PAGES off, always made afresh. The caller adds its own headers."""
    if not settings.CACHE_PAGES:
        return StreamingHttpResponse(make_chunks(), content_type=content_type)
    path = _path(request, fmt)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return StreamingHttpResponse(_written(path, make_chunks()), content_type=content_type)
    return FileResponse(handle, content_type=content_type)


def _written(path, chunks):
    """Yield `chunks` as bytes while writing them to `path`, which appears only once the last
    chunk is written."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for other in folder.parent.iterdir():
            if other != folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    keep = sum(1 for _ in folder.iterdir()) < KEPT_PER_VERSION
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    out = partial.open("wb") if keep else None
    complete = False
    try:
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            if out is not None:
                out.write(data)
            yield data
        complete = True
    finally:
        if out is not None:
            out.close()
            if complete:
                os.replace(partial, path)
            else:
                partial.unlink(missing_ok=True)
