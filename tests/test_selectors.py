"""The "published" rule, written once: the querysets' published() through relations, and the
apps' selectors that pages, downloads, the API, search and feeds share."""

import pytest

from partnership.agreements import selectors as agreements
from partnership.agreements.models import AgreementParty, Signatory
from partnership.core.models import Source, published_q
from partnership.initiatives.models import Participation
from partnership.investments import selectors as investments
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_published_q_reads_the_publication_of_the_record_or_of_a_relation():
    public = f.make_organization()
    f.make_organization(published=False)
    assert list(public._meta.model.objects.filter(published_q())) == [public]
    agreement = f.make_agreement()
    party = f.make_party(agreement, public)
    f.make_party(agreement, f.make_organization(published=False))
    assert list(AgreementParty.objects.filter(published_q("organization"))) == [party]


def test_a_party_is_public_when_its_organization_and_its_agreement_are():
    public, draft = f.make_agreement(), f.make_agreement(published=False)
    organization, hidden = f.make_organization(), f.make_organization(published=False)
    shown = f.make_party(public, organization)
    f.make_party(public, hidden)
    on_draft = f.make_party(draft, organization)
    assert list(AgreementParty.objects.published()) == [shown]
    assert set(AgreementParty.objects.of_published_organizations()) == {shown, on_draft}
    assert set(AgreementParty.objects.of_published_records()) == {
        shown,
        AgreementParty.objects.get(organization=hidden),
    }


def test_a_participation_is_public_when_its_organization_and_its_initiative_are():
    public, draft = f.make_initiative(), f.make_initiative(published=False)
    organization = f.make_organization()
    shown = f.make_participation(public, organization)
    f.make_participation(public, f.make_organization(published=False))
    f.make_participation(draft, organization)
    assert list(Participation.objects.published()) == [shown]


def test_a_signature_is_public_with_its_agreement():
    shown = f.make_signatory(f.make_agreement())
    f.make_signatory(f.make_agreement(published=False))
    assert list(Signatory.objects.published()) == [shown]


def test_a_source_is_public_once_a_published_record_cites_it():
    cited, only_drafts, unused = f.make_source(), f.make_source(), f.make_source()
    f.make_figure(sources=[cited])
    f.make_agreement(published=False).sources.add(only_drafts)
    f.make_policy(published=False).sources.add(only_drafts)
    assert list(Source.objects.cited()) == [cited]
    assert unused not in Source.objects.cited()


def test_the_list_rows_hold_published_records_only():
    shown = f.make_agreement()
    f.make_agreement(published=False)
    assert list(agreements.agreement_rows()) == [shown]
    figure = f.make_figure()
    f.make_figure(published=False)
    assert list(investments.figure_rows()) == [figure]


def test_the_api_records_leave_out_draft_relations():
    agreement = f.make_agreement()
    f.make_party(agreement, f.make_organization(published=False))
    shown = f.make_party(agreement)
    (record,) = agreements.agreement_records()
    assert list(record.parties.all()) == [shown]


def test_a_detail_queryset_holds_drafts_for_the_preview():
    draft = f.make_agreement(published=False)
    assert agreements.agreement_details().get(pk=draft.pk) == draft
