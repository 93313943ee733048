"""Dated actions on agreements: each party's signature, ratification or withdrawal, and the
agreement's entry into force, amendment or expiry, each with its source."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from partnership.agreements.models import ActionKind, AgreementAction
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_refuses_a_party_act_without_a_party():
    agreement = f.make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementAction.objects.create(
            agreement=agreement,
            kind=ActionKind.RATIFICATION,
            date=date(2022, 6, 1),
            source=f.make_source(),
        )
    action = AgreementAction(agreement=agreement, kind=ActionKind.SIGNATURE, date=date(2022, 1, 1))
    with pytest.raises(ValidationError) as error:
        action.clean()
    assert "names the party" in str(error.value)


def test_it_records_each_action_once_per_party_and_day():
    agreement = f.make_agreement()
    party = f.make_party(agreement)
    f.make_action(agreement, party, kind=ActionKind.RATIFICATION, date=date(2022, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_action(agreement, party, kind=ActionKind.RATIFICATION, date=date(2022, 6, 1))
    f.make_action(agreement, None, kind=ActionKind.AMENDMENT, date=date(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_action(agreement, None, kind=ActionKind.AMENDMENT, date=date(2023, 1, 1))
    # Another party's ratification the same day is its own action.
    f.make_action(agreement, f.make_party(agreement), date=date(2022, 6, 1))


def test_it_refuses_an_unknown_kind_and_precision():
    agreement = f.make_agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_action(agreement, None, kind="ratified")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_action(agreement, None, date_precision="week")


def test_the_party_must_be_one_of_the_agreements_own():
    agreement, other = f.make_agreement(), f.make_agreement()
    stranger = f.make_party(other)
    action = AgreementAction(
        agreement=agreement,
        party=stranger,
        kind=ActionKind.RATIFICATION,
        date=date(2022, 6, 1),
        source=f.make_source(),
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "this agreement's own parties" in str(error.value)


def test_a_party_with_actions_is_not_removed_but_the_agreement_takes_them_along():
    agreement = f.make_agreement()
    party = f.make_party(agreement)
    f.make_action(agreement, party)
    with pytest.raises(RestrictedError):
        party.delete()
    agreement.delete()
    assert not AgreementAction.objects.exists()


def test_it_reads_as_the_action_and_who_took_it():
    agreement = f.make_agreement()
    party = f.make_party(agreement, f.make_organization(name="Ministry of Industry", acronym="MOI"))
    assert str(f.make_action(agreement, party)) == "Ratification by MOI"
    assert str(f.make_action(agreement, None)) == "Entry into force"
