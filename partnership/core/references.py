"""The sources a page cites: numbered in the order they are first cited, each listed once,
with what on the page it is cited for.

A record's page starts with the record's own sources (so the record's markers [1], [2] keep
their numbers) and adds the sources of every other fact it shows: the agreement that names a
person as its minister, the source stating a link, the report that dated a status. All of
them are read from what the selectors prefetched, so building the list runs no query.
"""

from django.utils.translation import gettext as _


class References:
    """An ordered set of sources; `cite()` adds sources with what they are cited for."""

    def __init__(self, sources=()):
        self._sources = {}
        self.cite(sources)

    def cite(self, sources, cited_for=""):
        """Add `sources` (None is skipped), noting `cited_for` ("the status of LASI") on each
        one that is not the page's own."""
        for source in sources:
            if source is None:
                continue
            known = self._sources.get(source.pk)
            if known is None:
                known = source
                known.cited_for = []
                self._sources[source.pk] = known
            if cited_for and cited_for not in known.cited_for:
                known.cited_for.append(cited_for)
        return self

    def cite_records(self, records, label=str, relation="sources"):
        """Cite the (prefetched) sources of each record, as cited for its `label`."""
        for record in records:
            self.cite(getattr(record, relation).all(), label(record))
        return self

    def __iter__(self):
        return iter(self._sources.values())

    def __len__(self):
        return len(self._sources)

    def __bool__(self):
        return bool(self._sources)

    def __contains__(self, source):
        return getattr(source, "pk", None) in self._sources


STATUS_OF = "the status of "


def _listed(names):
    """ "A", "A and B", "A, B and C"; names holding a comma themselves ("JP→TH Applications,
    Jan–Sep 2021") are set apart by semicolons."""
    if len(names) == 1:
        return names[0]
    if any("," in name for name in names):
        return "; ".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def describe_uses(uses):
    """What a source is cited for, as one phrase: the records named alone are listed
    together ("ELV, ITC and LASI"), and so are the records whose status it dates ("the status
    of ELV and ITC"); every other use ("its status", "the area ITC serves") stays as it is,
    in the order first cited."""
    records = [use for use in uses if not use.startswith(("the ", "its "))]
    statuses = [use.removeprefix(STATUS_OF) for use in uses if use.startswith(STATUS_OF)]
    parts = []
    for use in uses:
        if use in records:
            if use == records[0]:
                parts.append(_listed(records))
        elif use.startswith(STATUS_OF):
            if use == STATUS_OF + statuses[0]:
                parts.append(_("the status of %(names)s") % {"names": _listed(statuses)})
        else:
            parts.append(use)
    return "; ".join(parts)
