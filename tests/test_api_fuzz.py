"""Schemathesis against the API, run as an outside client would run it.

`st run --checks all --phases examples,coverage,fuzzing,stateful --seed …` in Python, through
the site's WSGI application (every middleware included) with the demo data committed to the
test database: the schema is read from /api/v1/schema/, every check schemathesis has is on,
and every phase runs, the stateful one following the schema's links from each list to its
records. It must find nothing: no server error, and no difference
between what the schema says and what the server does (a value the schema allows refused, a
value it forbids accepted, an undocumented status, content type, header or body).

Two rules the schema can only state in words: a range's end must not come before its start
(`period_to` before `period_from`, `amount_max` below `amount_min`), and an initiative's
`relation` is to the `agreement` chosen, so it comes with one. The server refuses a case that
breaks either with a 400. Such cases are left out, as a client reading the parameters'
descriptions would.
"""

from decimal import Decimal, InvalidOperation

import pytest
import schemathesis
from django.db import connections
from rest_framework.throttling import AnonRateThrottle
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from partnership.core.demo import load_demo
from partnership.investments.filters import YearOrDateField
from partnership.wsgi import application

pytestmark = pytest.mark.slow

SEED = 20_220_113
EXAMPLES_PER_OPERATION = 30
OPERATIONS = 21  # a list and a detail for each of the ten endpoints, and the search


def config():
    config = SchemathesisConfig()
    config.update(seed=SEED, max_failures=None)
    project = config.projects.override
    project.checks.update(included_check_names=["all"])
    project.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    project.generation.update(max_examples=EXAMPLES_PER_OPERATION, database="none")
    return config


def parse(field, value):
    try:
        return field.to_python(str(value))
    except Exception:  # not a valid bound: the case is about something else
        return None


class Amount:
    def to_python(self, value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None


RANGES = [
    ("period_from", "period_to", YearOrDateField(), YearOrDateField(end=True)),
    ("amount_min", "amount_max", Amount(), Amount()),
    ("amount_min_million", "amount_max_million", Amount(), Amount()),
]


# A parameter that needs another one, not empty, beside it.
NEEDS = {"relation": "agreement"}


def as_described(context, case):
    """A `filter_case` hook: drop cases whose range ends before it starts, or which give a
    parameter without the one it needs."""
    query = case.query or {}
    for name, needed in NEEDS.items():
        if name in query and not query.get(needed):
            return False
    for start, end, start_field, end_field in RANGES:
        if start in query and end in query:
            low, high = parse(start_field, query[start]), parse(end_field, query[end])
            if low is not None and high is not None and high < low:
                return False
    return True


# The database connections of the threads schemathesis called the site from, by identity.
OPENED = {}


def app(environ, start_response):
    """The site, as a server's request thread runs it: the thread's database connection
    kept open for its next request (a connection to PostgreSQL takes longer to open than
    most requests take to answer)."""
    try:
        return application(environ, start_response)
    finally:
        connection = connections["default"]
        OPENED[id(connection)] = connection


@pytest.fixture
def connections_closed():
    """The connections the site's threads opened, closed at the end (those threads are
    gone by then), before the test database is emptied."""
    yield
    for connection in OPENED.values():
        connection.inc_thread_sharing()
        connection.close()
    OPENED.clear()


@pytest.fixture
def demo_committed(transactional_db, monkeypatch):
    """The demo data, loaded as `loaddemo` loads it and committed so that schemathesis's
    threads see it; no rate limit, since the fuzzer sends far more requests than a client
    may."""
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)
    load_demo()


def describe(recorder, case_id, failure):
    case = recorder.cases[case_id].value
    interaction = recorder.interactions.get(case_id)
    status = interaction.response.status_code if interaction and interaction.response else "-"
    return f"{failure.title}: {case.method} {case.formatted_path} {case.query} -> {status}"


def test_schemathesis_finds_nothing(demo_committed, connections_closed):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app, config=config())
    schema.hook("filter_case")(as_described)
    assert len(list(schema.get_all_operations())) == OPERATIONS

    failures, errors, phases, checked = set(), [], {}, 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    checked += 1
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.add(describe(event.recorder, case_id, failure))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(str(event.info) if hasattr(event, "info") else repr(event))
        elif isinstance(event, events.PhaseFinished):
            phases[event.phase.name.name] = event.status
        elif isinstance(event, events.EngineFinished):
            failures.update(str(failure) for failure in event.failures)

    assert not errors, "\n".join(errors)
    assert not failures, "\n".join(sorted(failures))
    assert checked > 10_000
    for phase in ("EXAMPLES", "COVERAGE", "FUZZING", "STATEFUL_TESTING"):
        assert phases.get(phase) == Status.SUCCESS, phases
