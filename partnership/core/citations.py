"""The "Cite this record" section: a ready citation on every record's page, and the same
citation as a download.

Each kind of record declares once how it is cited, as a `Citable`, next to its page's view,
and wires the one citation view beside its page:

    AGREEMENT_CITATION = Citable("agreement", selectors.agreement_details)
    path("<slug:slug>/cite.<str:fmt>", cite_view(AGREEMENT_CITATION), name="cite")

The page's view starts from `AGREEMENT_CITATION.record_page(request, slug)`, which holds the
record and its citation, and the template shows it with `{% include "includes/cite.html" %}`. The downloads' addresses
are the page's own with `cite.bib`, `cite.ris` or `cite.json` after it
(/agreements/<slug>/cite.bib), so the pattern above must sit under the page's address.

A draft's citation is a 404 to the public; staff who may preview the draft may fetch it too,
as for the page (`core.listing.get_visible_or_404`). The formats are in citation_formats.py.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from partnership.core import versions
from partnership.core.citation_formats import FORMATS, WRITERS
from partnership.core.listing import get_visible_or_404, record_page

DATE_FORMAT = "j F Y"


@dataclass(frozen=True)
class Citation:
    key: str  # unique among the site's citations: "agreement-th-jp-framework-2022"
    title: str
    path: str  # the record's page on this site
    url: str  # the same, as a full address
    site: str  # settings.SITE_NAME
    publisher: str  # settings.SITE_PUBLISHER, or the site's name
    updated: date | None  # when the record last changed
    accessed: date  # today
    kind: str = "webpage"  # the CSL type: "webpage", or "dataset" for a reported figure
    data_version: Any = None  # a core.versions.DataVersion, read when first shown

    @property
    def version(self):
        """The data version, or "" while no change to the record has been recorded."""
        version = self.data_version
        return str(version) if version is not None and version.changed else ""

    @property
    def note(self):
        parts = []
        if self.updated:
            parts.append(
                _("Record last updated %(date)s") % {"date": format_date(self.updated, DATE_FORMAT)}
            )
        if self.version:
            parts.append(_("data version %(version)s") % {"version": self.version})
        return "; ".join(parts) + "." if parts else ""

    @property
    def sentence(self):
        """The citation to copy: title, site, publisher, last update, data version, address
        and the day it was read."""
        title = self.title.strip()
        parts = [title if title.endswith((".", "?", "!")) else f"{title}."]
        source = self.site if self.publisher == self.site else f"{self.site}, {self.publisher}"
        parts.append(f"{source}.")
        if self.updated:
            parts.append(
                _("Last updated %(date)s.") % {"date": format_date(self.updated, DATE_FORMAT)}
            )
        if self.version:
            parts.append(_("Data version %(version)s.") % {"version": self.version})
        parts.append(
            _("%(url)s (accessed %(date)s).")
            % {"url": self.url, "date": format_date(self.accessed, DATE_FORMAT)}
        )
        return " ".join(parts)

    @property
    def downloads(self):
        """(label, address, extension, media type) of each download of this citation."""
        return [
            (label, f"{self.path}cite.{ext}", ext, media_type.split(";")[0])
            for ext, (media_type, label) in FORMATS.items()
        ]


def _updated_at(record):
    return getattr(record, "updated_at", None)


@dataclass(frozen=True)
class Citable:
    """How one kind of record is cited.

    name: names the citation's key and file ("agreement" → agreement-<slug>.bib).
    queryset: a function returning the records, drafts included (who may see a draft is
        decided as for the page): the page's own `*_details` selector. The citation view
        drops its prefetches; a title reads only the row and what it selects related.
    title: the record's title in a citation; default: str(record).
    updated: when the record last changed; default: its `updated_at`.
    kind: the CSL type, "webpage" or "dataset".
    """

    name: str
    queryset: Callable[[], QuerySet]
    title: Callable[[Any], str] = str
    updated: Callable[[Any], date | datetime | None] = _updated_at
    kind: str = "webpage"

    def citation(self, request, record):
        updated = self.updated(record)
        if isinstance(updated, datetime):
            updated = timezone.localdate(updated)
        path = record.get_absolute_url()
        slug = re.sub(r"[^A-Za-z0-9_-]+", "-", record.slug)
        return Citation(
            key=f"{self.name}-{slug}",
            title=self.title(record),
            path=path,
            url=request.build_absolute_uri(path),
            site=settings.SITE_NAME,
            publisher=settings.SITE_PUBLISHER or settings.SITE_NAME,
            updated=updated,
            accessed=timezone.localdate(),
            kind=self.kind,
            data_version=SimpleLazyObject(lambda: versions.for_request(request)),
        )

    def context(self, request, record):
        """What `includes/cite.html` needs: add it to the record page's context."""
        return {"citation": self.citation(request, record)}

    def record_page(self, request, slug):
        """The context the record's page starts from (`core.listing.record_page`, the record
        under this name), with the record's citation."""
        ctx = record_page(request, self.queryset(), self.name, slug=slug)
        ctx.update(self.context(request, ctx[self.name]))
        return ctx


def cite_view(citable):
    """The view of a record's citation as a download: `view(request, slug, fmt)`, fmt one
    of "bib", "ris", "json"."""

    def cite(request, slug, fmt):
        if fmt not in WRITERS:
            raise Http404(_("Citations come as cite.bib, cite.ris or cite.json."))
        # What the page prefetches, a citation does not read.
        queryset = citable.queryset().prefetch_related(None)
        record, _preview = get_visible_or_404(request, queryset, slug=slug)
        citation = citable.citation(request, record)
        response = HttpResponse(WRITERS[fmt](citation), content_type=FORMATS[fmt][0])
        response["Content-Disposition"] = f'attachment; filename="{citation.key}.{fmt}"'
        return versions.stamp(response, request)

    cite.__doc__ = f"The citation of a {citable.name} as BibTeX, RIS or CSL-JSON."
    return cite
