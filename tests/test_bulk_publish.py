"""Publishing thousands of records at once from the admin list: a constant number of
queries, history entries that say who published, and one message for the refused."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import Publication, Source
from partnership.core.roles import PUBLISHERS
from partnership.investments.models import Investment

CHANGELIST = reverse("admin:investments_investment_changelist")


@pytest.fixture
def publisher(django_user_model):
    user = django_user_model.objects.create_user("paul", "paul@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=PUBLISHERS))
    return user


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


def drafts(count, prefix, source=None, **values):
    """`count` draft investments, citing `source` when given, made in bulk."""
    fields = {
        "origin_country": "JP",
        "destination_country": "TH",
        "amount": Decimal(1_000_000_000),
        "currency": "THB",
        "period_label": "2024",
        **values,
    }
    records = Investment.objects.bulk_create(
        Investment(title=f"{prefix} {n}", slug=f"{prefix}-{n}", **fields) for n in range(count)
    )
    if source is not None:
        through = Investment.sources.through
        through.objects.bulk_create(
            through(investment_id=record.pk, source_id=source.pk) for record in records
        )
    return records


def publish(client, records, across=None):
    """Post the publish action for `records`, or for every record the list shows when
    filtered by `across` ("Select all"), and return the number of queries it ran."""
    data = {"action": "publish", "_selected_action": [record.pk for record in records]}
    address = CHANGELIST
    if across is not None:
        data.update(select_across="1", index="0")
        address += f"?q={across}"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, data)
    assert response.status_code == 302
    return len(queries)


@pytest.fixture
def source(db):
    return Source.objects.create(title="Statistics", publisher="BOI", url="https://example.org")


def test_publishing_runs_a_constant_number_of_queries(publisher_client, source):
    few = publish(publisher_client, drafts(5, "few", source))
    many = publish(publisher_client, drafts(900, "many", source))
    # The same queries, but for the search index's rows, written in batches of the most
    # values one statement may carry.
    assert abs(many - few) <= 2
    assert Investment.objects.published().count() == 905


@pytest.mark.slow
def test_publishing_5000_records_runs_a_few_queries_a_batch(publisher_client, source):
    few = drafts(5, "few", source)
    few = publish(publisher_client, few[:1], across="few")
    many = drafts(5000, "many", source)
    many = publish(publisher_client, many[:1], across="many")
    assert many - few <= 4 * 2  # an UPDATE and a history insert for each further 1,000
    assert Investment.objects.published().count() == 5005


def test_history_records_who_published(publisher_client, publisher, source):
    records = drafts(3, "plant", source)
    publish(publisher_client, records)
    for record in Investment.objects.all():
        assert record.is_published and record.published_at is not None
        latest = record.history.latest()
        assert latest.publication == Publication.PUBLISHED
        assert latest.history_user == publisher
    assert {record.pk for record in records} == set(Investment.objects.values_list("pk", flat=True))


def test_publishing_keeps_the_first_publication_time(publisher_client, source):
    [record] = drafts(1, "plant", source)
    publish(publisher_client, [record])
    record.refresh_from_db()
    first = record.published_at
    Investment.objects.filter(pk=record.pk).unpublish()
    publish(publisher_client, [record])
    record.refresh_from_db()
    assert record.is_published and record.published_at == first


def test_it_refuses_the_unfit_in_one_message_naming_a_few(publisher_client, source):
    fit = drafts(2, "fit", source)
    unsourced = drafts(4, "unsourced")
    no_amount = drafts(1, "no-amount", source, amount=None)
    response = publisher_client.post(
        CHANGELIST,
        {
            "action": "publish",
            "_selected_action": [r.pk for r in fit + unsourced + no_amount],
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert "2 investments published." in shown
    [refusal] = [m for m in shown if "not published" in m]
    assert refusal.startswith("5 of the selected investments were not published.")
    assert "4 of them: It cites no source" in refusal
    assert "1 of them: It has no amount." in refusal
    assert re.search(r"Among them: “[^”]+”, “[^”]+”, “[^”]+” and 2 more\.$", refusal)
    assert Investment.objects.published().count() == 2
