"""Atom feeds of newly published records."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnership.agreements.selectors import agreement_rows, policy_rows
from partnership.initiatives.selectors import initiative_rows
from partnership.investments.selectors import figure_rows
from partnership.organizations.selectors import person_feed_rows

FEED_SIZE = 50


class PublishedFeed(Feed):
    """The newest published records of one kind (`rows`, the app's selector of published
    rows), linking to their list: each entry titled by the record's name and described by its
    summary."""

    feed_type = Atom1Feed

    def __init__(self, rows, title, list_url_name, subtitle):
        super().__init__()
        self.rows = rows
        self.title = title
        self.link = reverse_lazy(list_url_name)
        self.subtitle = subtitle

    def items(self):
        return self.rows().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class FigureFeed(PublishedFeed):
    """Each entry links to the figure's own page."""

    def item_title(self, item):
        amount = item.amount_as_written
        return gettext("%(origin)s to %(destination)s, %(period)s: %(amount)s") % {
            "origin": item.origin_country.name,
            "destination": item.destination_country.name,
            "period": item.period_label or gettext("period not stated"),
            "amount": amount,
        }

    def item_description(self, item):
        parts = [item.get_basis_display()]
        if item.project_count is not None:
            parts.append(
                ngettext("%(count)s project", "%(count)s projects", item.project_count)
                % {"count": item.project_count}
            )
        if item.reported_by:
            parts.append(gettext("reported by %(name)s") % {"name": item.reported_by.short_name})
        return "; ".join(parts)


class PersonFeed(PublishedFeed):
    """People as they become public: with the first published agreement they signed. Each
    entry is dated by the publication of the latest such agreement."""

    def item_description(self, item):
        signed = "; ".join(
            gettext("%(agreement)s, as %(title)s")
            % {"agreement": signature.agreement.title, "title": signature.title_at_signing}
            for signature in item.signatures.all()
        )
        return gettext("Signed: %(signed)s.") % {"signed": signed}

    def item_updateddate(self, item):
        return item.published_at


AGREEMENTS = PublishedFeed(
    agreement_rows,
    _("Partnership Tracker: newly published agreements"),
    "agreements:list",
    _("Agreements added to the public record, newest first."),
)
INITIATIVES = PublishedFeed(
    initiative_rows,
    _("Partnership Tracker: newly published initiatives"),
    "initiatives:list",
    _("Initiatives added to the public record, newest first."),
)
FIGURES = FigureFeed(
    figure_rows,
    _("Partnership Tracker: newly published investment figures"),
    "investments:figures",
    _("Reported investment figures added to the public record, newest first."),
)
POLICIES = PublishedFeed(
    policy_rows,
    _("Partnership Tracker: newly published policies"),
    "policies:list",
    _("Policies the agreements serve, added to the public record, newest first."),
)
PEOPLE = PersonFeed(
    person_feed_rows,
    _("Partnership Tracker: signatories"),
    "people:list",
    _("People who signed a published agreement, newest first."),
)
