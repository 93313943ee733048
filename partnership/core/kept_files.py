"""Downloads written once per data version and served from a file after that.

A download of every project (a million rows) takes minutes to make and the same bytes come
out until the record changes. The first request streams the rows as they are made and
writes them to a file beside; the next request for the same address, language, host and
data version is answered from that file (at disk speed, in blocks, whatever its size).
Files live under DOWNLOADS_ROOT in a folder per data version: writing into a new version's
folder removes the folders of older versions, so the files on disk are at most those of the
current record (and at most KEPT_PER_VERSION of them). A download cut off half-way leaves no
file behind. Beside each file is its gzip-compressed copy, written as the rows stream, and a
client that accepts gzip (every browser does) is sent that instead: a CSV or JSON download is
a tenth of its size compressed. A thread compresses the copy beside the stream, so the first
download is made no slower. CACHE_PAGES turns this on and off with the cache of whole
pages.
"""

import hashlib
import logging
import os
import queue
import shutil
import threading
import uuid
import zlib

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from partnership.core import versions
from partnership.core.caching import page_key

logger = logging.getLogger(__name__)

# How many downloads of one data version are kept: a visitor trying every combination of
# filters fills the disk no further.
KEPT_PER_VERSION = 500
# The compressed copy's level: the fastest, so that writing it beside costs the stream little
# (zlib's level 1 writes a download's CSV at 300 MB/s, a tenth of its size; level 6 at 135 MB/s,
# a fourteenth).
GZIP_LEVEL = 1
# The name of the threads that write the compressed copies.
COPYING = "kept-download-copy"


def _path(request, fmt):
    """The file of this request's download: in its data version's folder, named by the key
    a page at its address is kept under (address, language, host, versions)."""
    name = hashlib.sha256(page_key("download", request).encode()).hexdigest() + f".{fmt}"
    return settings.DOWNLOADS_ROOT / str(versions.for_request(request)) / name


def kept_file(request, fmt, content_type):
    """The response with this request's download from its file, or None when none was made
    for the current data version (or CACHE_PAGES is off): the compressed copy for a client
    that accepts gzip, where there is one. The caller adds its own headers."""
    if not settings.CACHE_PAGES:
        return None
    path = _path(request, fmt)
    accepts_gzip = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
    for compressed in (True, False) if accepts_gzip else (False,):
        try:
            handle = (_gzipped(path) if compressed else path).open("rb")
        except FileNotFoundError:
            continue
        response = FileResponse(handle, content_type=content_type)
        if compressed:
            response.headers["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
    return None


def kept_stream(request, fmt, content_type, chunks):
    """The response streaming `chunks` (text or bytes), the download `kept_file` did not find,
    written to its file and the compressed copy as it goes (with CACHE_PAGES off, not
    written). The caller adds its own headers."""
    if not settings.CACHE_PAGES:
        return StreamingHttpResponse(chunks, content_type=content_type)
    response = StreamingHttpResponse(
        _written(_path(request, fmt), chunks), content_type=content_type
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _gzipped(path):
    """The file of the download at `path`, gzip-compressed."""
    return path.with_name(f"{path.name}.gz")


def _written(path, chunks):
    """Yield `chunks` as bytes while writing them to `path` and its compressed copy beside,
    which appear only once the last chunk is written."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for other in folder.parent.iterdir():
            if other != folder and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)
    blocks = (chunk.encode() if isinstance(chunk, str) else chunk for chunk in chunks)
    kept = sum(1 for found in folder.iterdir() if found.suffix not in (".gz", ".part"))
    if kept >= KEPT_PER_VERSION:
        yield from blocks
        return
    part = uuid.uuid4().hex
    partial = path.with_name(f"{path.name}.{part}.part")
    copy = _CompressedCopy(path.with_name(f"{_gzipped(path).name}.{part}.part"))
    complete = False
    try:
        with partial.open("wb") as out:
            for data in blocks:
                out.write(data)
                copy.write(data)
                yield data
        complete = True
    finally:
        compressed = copy.close()
        if complete:
            try:
                if compressed:  # first: a file found has its copy beside it
                    os.replace(copy.path, _gzipped(path))
                os.replace(partial, path)
            except OSError:
                # The folder went as a newer data version began: nothing to keep.
                logger.info("The download %s was not kept: its folder is gone.", path.name)
        partial.unlink(missing_ok=True)
        copy.path.unlink(missing_ok=True)


class _CompressedCopy:
    """The gzip-compressed copy of a download, written at `path` by a thread of its own as
    the download streams: the compression runs beside the rows' making, on another core,
    rather than after each chunk of them. A copy that cannot be written is left out (the
    download itself goes on), and the thread ends with the stream, however that ends."""

    def __init__(self, path):
        self.path = path
        self.blocks = queue.Queue(maxsize=64)  # the stream waits if the copy falls behind
        self.written = False
        self.thread = threading.Thread(target=self._write, name=COPYING, daemon=True)
        self.thread.start()

    def write(self, data):
        self.blocks.put(data)

    def close(self):
        """Wait for the copy to be written: whether it was, whole."""
        self.blocks.put(None)
        self.thread.join()
        return self.written

    def compressor(self):
        """What the copy is compressed with: gzip, at GZIP_LEVEL."""
        return zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)

    def _write(self):
        ended = False
        try:
            compressor = self.compressor()
            with self.path.open("wb") as out:
                for data in iter(self.blocks.get, None):
                    out.write(compressor.compress(data))
                ended = True
                out.write(compressor.flush())
            self.written = True
        except Exception:  # whatever stops the copy, the download goes on without it
            logger.warning("The compressed copy of %s was not written.", self.path, exc_info=True)
        finally:
            if not ended:  # take what the stream still sends, so that it never waits
                for _ in iter(self.blocks.get, None):
                    pass
