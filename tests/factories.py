"""Small factories for tests: each makes a valid, published record unless told otherwise.

A published agreement, policy, initiative, investment or reported figure cites a source, as the
publication checks require of real ones: a new source unless `sources=[...]` names them.
"""

import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from partnership.agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)
from partnership.core.models import Publication, Source
from partnership.initiatives.models import Initiative, Milestone, Participation, Target
from partnership.investments.models import Basis, Investment, InvestmentFigure
from partnership.organizations.models import Organization, OrganizationKind, Person
from partnership.sectors.models import Sector

_seq = itertools.count(1)


def _n():
    return next(_seq)


def _publication(published):
    if published:
        return {"publication": Publication.PUBLISHED, "published_at": timezone.now()}
    return {"publication": Publication.DRAFT, "published_at": None}


def _cite(record, published, sources):
    if sources is None:
        sources = [make_source()] if published else []
    record.sources.add(*sources)
    return record


def make_source(**kw):
    n = _n()
    kw.setdefault("title", f"Source {n}")
    kw.setdefault("publisher", "Board of Investment")
    kw.setdefault("url", f"https://example.org/source-{n}")
    return Source.objects.create(**kw)


def make_organization(published=True, **kw):
    n = _n()
    kw.setdefault("name", f"Organization {n}")
    kw.setdefault("slug", f"organization-{n}")
    kw.setdefault("country", "TH")
    kw.setdefault("kind", OrganizationKind.MINISTRY)
    return Organization.objects.create(**_publication(published), **kw)


def make_person(**kw):
    n = _n()
    kw.setdefault("name", f"Person {n}")
    kw.setdefault("slug", f"person-{n}")
    return Person.objects.create(**kw)


def make_sector(published=True, **kw):
    n = _n()
    kw.setdefault("name", f"Sector {n}")
    kw.setdefault("slug", f"sector-{n}")
    return Sector.objects.create(**_publication(published), **kw)


def make_policy(published=True, sources=None, **kw):
    n = _n()
    kw.setdefault("title", f"Policy {n}")
    kw.setdefault("slug", f"policy-{n}")
    return _cite(Policy.objects.create(**_publication(published), **kw), published, sources)


def make_agreement(published=True, sources=None, **kw):
    n = _n()
    kw.setdefault("title", f"Agreement {n}")
    kw.setdefault("slug", f"agreement-{n}")
    kw.setdefault("kind", AgreementKind.FRAMEWORK)
    kw.setdefault("signed_on", date(2022, 1, 13))
    agreement = Agreement.objects.create(**_publication(published), **kw)
    return _cite(agreement, published, sources)


def make_party(agreement, organization=None, **kw):
    return AgreementParty.objects.create(
        agreement=agreement, organization=organization or make_organization(), **kw
    )


def make_signatory(agreement, person=None, **kw):
    kw.setdefault("title_at_signing", "Minister")
    return Signatory.objects.create(agreement=agreement, person=person or make_person(), **kw)


def make_action(agreement, party=None, **kw):
    """A dated action on `agreement`, by `party` (an AgreementParty) or by all parties."""
    from partnership.agreements.models import ActionKind, AgreementAction

    kw.setdefault("kind", ActionKind.RATIFICATION if party else ActionKind.ENTRY_INTO_FORCE)
    kw.setdefault("date", date(2022, 6, 1))
    kw.setdefault("source", make_source())
    return AgreementAction.objects.create(agreement=agreement, party=party, **kw)


def make_area(agreement=None, **kw):
    n = _n()
    agreement = agreement or make_agreement()
    kw.setdefault("number", agreement.areas.count() + 1)
    kw.setdefault("title", f"Area {n}")
    kw.setdefault("slug", f"area-{n}")
    return CooperationArea.objects.create(agreement=agreement, **kw)


# How a test's link between an initiative and an area or agreement is known, unless it says:
# `initiative.areas.add(area, through_defaults=READING)`.
READING = {"basis": "inferred", "reason": "The editors' reading, for the test."}


def make_initiative(published=True, sources=None, **kw):
    n = _n()
    kw.setdefault("title", f"Initiative {n}")
    kw.setdefault("slug", f"initiative-{n}")
    if kw.get("agreement") is not None and not kw.get("agreement_basis"):
        kw["agreement_basis"] = READING["basis"]
        kw.setdefault("agreement_reason", READING["reason"])
    return _cite(Initiative.objects.create(**_publication(published), **kw), published, sources)


def link_area(initiative, area, **kw):
    """The initiative serves the area; the editors' reading unless `basis` and `source` say."""
    from partnership.initiatives.models import AreaLink

    kw.setdefault("basis", READING["basis"])
    if kw["basis"] == READING["basis"]:
        kw.setdefault("reason", READING["reason"])
    return AreaLink.objects.create(initiative=initiative, area=area, **kw)


def make_participation(initiative, organization=None, **kw):
    kw.setdefault("role", "lead")
    return Participation.objects.create(
        initiative=initiative, organization=organization or make_organization(), **kw
    )


def make_milestone(initiative, **kw):
    kw.setdefault("date", date(2020, 1, 1))
    kw.setdefault("title", f"Milestone {_n()}")
    return Milestone.objects.create(initiative=initiative, **kw)


def make_target(initiative, **kw):
    kw.setdefault("label", f"Target {_n()}")
    kw.setdefault("target_value", Decimal(50))
    return Target.objects.create(initiative=initiative, **kw)


def make_investment(published=True, sources=None, **kw):
    n = _n()
    kw.setdefault("title", f"Investment {n}")
    kw.setdefault("slug", f"investment-{n}")
    kw.setdefault("origin_country", "JP")
    kw.setdefault("destination_country", "TH")
    kw.setdefault("amount", Decimal(1_000_000_000))
    kw.setdefault("currency", "THB")
    kw.setdefault("period_start", date(2021, 1, 1))
    kw.setdefault("period_end", date(2021, 6, 30))
    return _cite(Investment.objects.create(**_publication(published), **kw), published, sources)


def make_figure(published=True, sources=None, **kw):
    kw.setdefault("origin_country", "JP")
    kw.setdefault("destination_country", "TH")
    kw.setdefault("basis", Basis.APPLICATIONS)
    kw.setdefault("amount", Decimal(67_817_000_000))
    kw.setdefault("currency", "THB")
    kw.setdefault("project_count", 125)
    kw.setdefault("period_start", date(2021, 1, 1))
    kw.setdefault("period_end", date(2021, 9, 30))
    kw.setdefault("period_label", "Jan–Sep 2021")
    return _cite(
        InvestmentFigure.objects.create(**_publication(published), **kw), published, sources
    )


def make_event(agreement, **kw):
    from partnership.agreements.models import AgreementEvent

    kw.setdefault("date", date(2021, 6, 1))
    kw.setdefault("title", f"Event {_n()}")
    return AgreementEvent.objects.create(agreement=agreement, **kw)


def make_document(agreement, **kw):
    """A document row pointing at a stored name; no file is written."""
    from partnership.agreements.models import AgreementDocument

    n = _n()
    kw.setdefault("title", f"Document {n}")
    kw.setdefault("file", f"agreements/{agreement.slug}/document-{n}.pdf")
    return AgreementDocument.objects.create(agreement=agreement, **kw)
