"""Invariants hold in the database itself, and published() decides what the public sees."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.models import Publication, Source
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector
from tests import factories

pytestmark = pytest.mark.django_db


def rejected(make):
    """True when the database refuses the row."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


class TestDatabaseConstraints:
    def test_it_rejects_a_negative_investment_amount(self):
        assert rejected(lambda: factories.make_investment(amount=Decimal(-1)))

    def test_it_rejects_a_negative_figure_amount(self):
        assert rejected(lambda: factories.make_figure(amount=Decimal("-0.01")))

    def test_it_rejects_an_unknown_currency(self):
        assert rejected(lambda: factories.make_investment(currency="XXX"))

    @pytest.mark.parametrize("share", [Decimal("-1"), Decimal("100.01"), Decimal("250")])
    def test_it_rejects_a_share_outside_0_to_100(self, share):
        assert rejected(lambda: factories.make_figure(share_percent=share))

    @pytest.mark.parametrize("share", [Decimal("0"), Decimal("19"), Decimal("100")])
    def test_it_accepts_a_share_within_0_to_100(self, share):
        assert not rejected(lambda: factories.make_figure(share_percent=share))

    def test_it_rejects_rank_zero(self):
        assert rejected(lambda: factories.make_figure(rank=0))

    def test_it_rejects_a_period_that_ends_before_it_starts(self):
        assert rejected(
            lambda: factories.make_investment(
                period_start=date(2021, 9, 30), period_end=date(2021, 1, 1)
            )
        )
        assert rejected(
            lambda: factories.make_figure(
                period_start=date(2021, 9, 30), period_end=date(2021, 1, 1)
            )
        )

    def test_it_rejects_an_agreement_in_force_before_signing(self):
        assert rejected(
            lambda: factories.make_agreement(
                signed_on=date(2007, 4, 3), in_force_on=date(2007, 1, 1)
            )
        )

    def test_it_rejects_an_agreement_ending_before_it_comes_into_force(self):
        assert rejected(
            lambda: factories.make_agreement(
                signed_on=date(2007, 4, 3), in_force_on=date(2007, 11, 1), ends_on=date(2007, 6, 1)
            )
        )

    def test_it_rejects_an_initiative_ending_before_it_starts(self):
        assert rejected(
            lambda: factories.make_initiative(
                start_date=date(2020, 1, 1), end_date=date(2019, 1, 1)
            )
        )

    def test_it_rejects_a_negative_target(self):
        initiative = factories.make_initiative()
        assert rejected(lambda: factories.make_target(initiative, target_value=Decimal(-5)))
        assert rejected(lambda: factories.make_target(initiative, reached_value=Decimal(-5)))

    def test_it_rejects_a_duplicate_area_number_within_an_agreement(self):
        agreement = factories.make_agreement()
        factories.make_area(agreement, number=2)
        assert rejected(lambda: factories.make_area(agreement, number=2))

    def test_it_allows_the_same_area_number_in_another_agreement(self):
        factories.make_area(factories.make_agreement(), number=1)
        assert not rejected(lambda: factories.make_area(factories.make_agreement(), number=1))

    def test_it_rejects_area_number_zero(self):
        assert rejected(lambda: factories.make_area(number=0))

    def test_it_rejects_a_duplicate_slug(self):
        factories.make_agreement(slug="jtepa")
        assert rejected(lambda: factories.make_agreement(slug="jtepa"))

    def test_it_rejects_an_unknown_status(self):
        assert rejected(lambda: factories.make_agreement(status="lost"))
        assert rejected(lambda: factories.make_initiative(status="maybe"))

    def test_it_rejects_a_published_record_without_a_publication_date(self):
        assert rejected(
            lambda: Agreement.objects.create(
                title="x", slug="x", kind="mou", publication=Publication.PUBLISHED
            )
        )

    def test_it_rejects_an_unknown_publication_state(self):
        assert rejected(
            lambda: Agreement.objects.create(title="x", slug="x", kind="mou", publication="hidden")
        )

    def test_it_rejects_an_organization_that_is_its_own_parent(self):
        org = factories.make_organization()
        org.parent_id = org.pk
        assert rejected(org.save)

    def test_it_rejects_a_source_address_that_is_not_a_web_address(self):
        assert rejected(
            lambda: Source.objects.create(title="t", publisher="p", url="javascript:alert(1)")
        )

    def test_it_rejects_a_duplicate_party(self):
        agreement, org = factories.make_agreement(), factories.make_organization()
        factories.make_party(agreement, org)
        assert rejected(lambda: factories.make_party(agreement, org))


class TestCleanMessages:
    """The same rules, explained to an editor in words they understand."""

    def test_it_explains_an_agreement_in_force_before_signing(self):
        agreement = Agreement(
            title="x",
            slug="x",
            kind="mou",
            signed_on=date(2007, 4, 3),
            in_force_on=date(2007, 1, 1),
        )
        with pytest.raises(ValidationError) as error:
            agreement.full_clean()
        assert "cannot come into force before it is signed" in str(error.value)

    def test_it_explains_a_negative_amount(self):
        investment = Investment(
            title="x", slug="x", origin_country="JP", destination_country="TH", amount=Decimal(-1)
        )
        with pytest.raises(ValidationError) as error:
            investment.full_clean()
        assert "cannot be negative" in str(error.value)

    def test_it_explains_a_period_ending_before_it_starts(self):
        figure = InvestmentFigure(
            origin_country="JP",
            destination_country="TH",
            basis="applications",
            period_start=date(2021, 9, 30),
            period_end=date(2021, 1, 1),
        )
        with pytest.raises(ValidationError) as error:
            figure.full_clean()
        assert "must end on or after" in str(error.value)

    def test_it_explains_a_third_sector_level(self):
        top = factories.make_sector()
        child = factories.make_sector(parent=top)
        grandchild = Sector(name="Deep", slug="deep", parent=child)
        with pytest.raises(ValidationError) as error:
            grandchild.full_clean()
        assert "only two levels" in str(error.value)

    def test_it_explains_an_organization_cycle(self):
        parent = factories.make_organization()
        child = factories.make_organization(parent=parent)
        parent.parent = child
        with pytest.raises(ValidationError) as error:
            parent.full_clean()
        assert "part of itself" in str(error.value)

    def test_it_explains_a_duplicate_area_number(self):
        agreement = factories.make_agreement()
        factories.make_area(agreement, number=1)
        area = CooperationArea(agreement=agreement, number=1, title="Again", slug="again")
        with pytest.raises(ValidationError):
            area.full_clean()


class TestPublished:
    def test_it_hides_drafts(self):
        public = factories.make_agreement(published=True)
        factories.make_agreement(published=False)
        assert list(Agreement.objects.published()) == [public]

    @pytest.mark.parametrize(
        "make",
        [
            factories.make_agreement,
            factories.make_initiative,
            factories.make_investment,
            factories.make_figure,
            factories.make_organization,
            factories.make_sector,
            factories.make_policy,
        ],
    )
    def test_every_public_model_hides_drafts(self, make):
        draft = make(published=False)
        public = make(published=True)
        published = type(draft).objects.published()
        assert public in published
        assert draft not in published

    def test_areas_follow_their_agreement(self):
        draft_area = factories.make_area(factories.make_agreement(published=False))
        public_area = factories.make_area(factories.make_agreement(published=True))
        assert list(CooperationArea.objects.published()) == [public_area]
        assert not draft_area.is_published

    def test_publish_sets_the_first_publication_time_once(self):
        initiative = factories.make_initiative(published=False, summary="Trains IoT instructors.")
        initiative.sources.add(factories.make_source())
        Initiative.objects.filter(pk=initiative.pk).publish()
        initiative.refresh_from_db()
        first = initiative.published_at
        assert initiative.is_published and first is not None
        Initiative.objects.filter(pk=initiative.pk).unpublish()
        Initiative.objects.filter(pk=initiative.pk).publish()
        initiative.refresh_from_db()
        assert initiative.published_at == first

    def test_unpublish_hides_the_record(self):
        org = factories.make_organization()
        Organization.objects.filter(pk=org.pk).unpublish()
        assert not Organization.objects.published().exists()

    def test_new_records_start_as_drafts(self):
        sector = Sector.objects.create(name="Textiles", slug="textiles")
        assert sector.publication == Publication.DRAFT
        assert sector.published_at is None

    def test_published_at_is_not_in_the_future(self):
        factories.make_figure(published=False).sources.add(factories.make_source())
        InvestmentFigure.objects.publish()
        assert InvestmentFigure.objects.get().published_at <= timezone.now()

    def test_publishing_a_queryset_refuses_records_not_fit_to_publish(self):
        unfit = factories.make_initiative(published=False, summary="")
        fit = factories.make_initiative(published=False, summary="Trains IoT instructors.")
        fit.sources.add(factories.make_source())
        already = factories.make_initiative(published=True)
        outcome = Initiative.objects.filter(pk__in=[unfit.pk, fit.pk, already.pk]).publish()
        assert outcome.published == [fit]
        assert outcome.already == [already]
        [(refused, problems)] = outcome.refused
        assert refused == unfit
        assert problems == [
            "It cites no source: add at least one source.",
            "It has no summary: say in one or two sentences what it does.",
        ]
        unfit.refresh_from_db()
        assert not unfit.is_published and unfit.published_at is None
        assert unfit.history.latest().publication == Publication.DRAFT
        fit.refresh_from_db()
        assert fit.is_published
        assert fit.history.latest().publication == Publication.PUBLISHED
