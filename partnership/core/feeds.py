"""Atom feeds of newly published records."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from partnership.agreements.models import Agreement
from partnership.core.currencies import format_amount
from partnership.initiatives.models import Initiative
from partnership.investments.models import InvestmentFigure

FEED_SIZE = 50


class PublishedFeed(Feed):
    feed_type = Atom1Feed
    model = None

    def items(self):
        return self.model.objects.published().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class AgreementFeed(PublishedFeed):
    model = Agreement
    title = "Partnership Tracker: newly published agreements"
    link = reverse_lazy("agreements:list")
    subtitle = "Agreements added to the public record, newest first."

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary


class InitiativeFeed(PublishedFeed):
    model = Initiative
    title = "Partnership Tracker: newly published initiatives"
    link = reverse_lazy("initiatives:list")
    subtitle = "Initiatives added to the public record, newest first."

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.summary


class FigureFeed(PublishedFeed):
    model = InvestmentFigure
    title = "Partnership Tracker: newly published investment figures"
    link = reverse_lazy("investments:figures")
    subtitle = "Reported investment figures added to the public record, newest first."

    def items(self):
        return super().items().select_related("reported_by")

    def item_title(self, item):
        amount = format_amount(item.amount, item.currency, item.amount_unit)
        label = item.period_label or "period not stated"
        return f"{item.origin_country.name} to {item.destination_country.name}, {label}: {amount}"

    def item_description(self, item):
        parts = [item.get_basis_display()]
        if item.project_count is not None:
            parts.append(f"{item.project_count} projects")
        if item.reported_by:
            parts.append(f"reported by {item.reported_by.short_name}")
        return "; ".join(parts)

    def item_link(self, item):
        return reverse("investments:figures") + f"#figure-{item.pk}"
