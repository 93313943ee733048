"""Schema-driven fuzzing of the API: every operation /api/schema/ describes, called with
generated valid and invalid parameters, must never answer with a server error.

The schema is loaded inside the test, through the WSGI application, once the demo data is in
the test database (schemathesis's own pytest integration loads it at collection time or, with
`from_fixture`, relies on pytest internals that pytest 9 no longer has).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from partnership.wsgi import application

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def keep_test_connection():
    """Requests go straight to the WSGI application, whose request signals would close the
    database connection that holds the test's transaction; Django's test client detaches the
    same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_it_never_answers_with_a_server_error(demo, settings, keep_test_connection, mode):
    settings.API_RATE_LIMIT = None  # the fuzzer sends far more requests than a client may
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 18  # a list and a detail for each of the nine endpoints

    failures = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(checks=[not_a_server_error])

        try:
            call()
        except Exception as error:  # every operation is tried; all failures are reported
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
