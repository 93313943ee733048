"""The test factories make published records that pass the same source check as real ones."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

CITING = [f.make_agreement, f.make_policy, f.make_initiative, f.make_investment, f.make_figure]


def sources_check(record):
    return next(check for check in record.quality_checks() if check.label == "sources")


@pytest.mark.parametrize("make", CITING, ids=lambda make: make.__name__)
def test_a_published_record_cites_a_source(make):
    assert sources_check(make()).ok


@pytest.mark.parametrize("make", CITING, ids=lambda make: make.__name__)
def test_a_draft_cites_nothing_and_named_sources_replace_the_new_one(make):
    assert not make(published=False).sources.exists()
    source = f.make_source()
    assert list(make(sources=[source]).sources.all()) == [source]
