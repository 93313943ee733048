from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from partnership.core.models import Source
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization


def synthesize(*args):
    out = StringIO()
    call_command("synthesize", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestSynthesize:
    def test_it_adds_the_requested_number_of_published_projects(self):
        output = synthesize("--investments", "120")
        assert "Added 120 investment projects" in output
        assert Investment.objects.published().count() == 120
        assert InvestmentFigure.objects.published().exists()
        assert not Investment.objects.filter(sources=None).exists()

    def test_the_same_seed_gives_the_same_data(self):
        synthesize("--investments", "30", "--seed", "7")
        first = list(
            Investment.objects.order_by("slug").values_list("slug", "amount", "sector__slug")
        )
        Investment.objects.all().delete()
        InvestmentFigure.objects.all().delete()
        Organization.objects.filter(slug__startswith="synthetic-").delete()
        Source.objects.all().delete()
        synthesize("--investments", "30", "--seed", "7")
        second = list(
            Investment.objects.order_by("slug").values_list("slug", "amount", "sector__slug")
        )
        assert first == second

    def test_dry_run_writes_nothing(self):
        assert "Would add 10" in synthesize("--investments", "10", "--dry-run")
        assert not Investment.objects.exists()

    @pytest.mark.parametrize("count", ["0", "-5", "1000001", "many", "2.5"])
    def test_it_refuses_an_impossible_count(self, count):
        with pytest.raises(CommandError, match=r"--investments: .* from 1 to 1,000,000"):
            synthesize("--investments", count)
        assert not Investment.objects.exists()

    def test_it_refuses_to_run_twice(self):
        synthesize("--investments", "5")
        with pytest.raises(CommandError, match="already present"):
            synthesize("--investments", "5")
        assert Investment.objects.count() == 5


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="The load test fills and serves a SQLite database of its own whatever the suite's "
    "database: the SQLite run covers it.",
)
def test_loadtest_runs_the_production_server_and_reports_percentiles():
    out = StringIO()
    call_command(
        "loadtest",
        "--clients",
        "2",
        "--duration",
        "2",
        "--think",
        "0",
        "--investments",
        "20",
        "--workers",
        "1",
        stdout=out,
    )
    report = out.getvalue()
    assert "errors: 0" in report
    assert "p95:" in report
    assert "statuses: {200:" in report


@pytest.mark.parametrize(
    ("command", "option", "value", "allowed"),
    [
        ("loadtest", "--duration", "3600", "from 1 to 600"),
        ("loadtest", "--think", "-1", "from 0 to 60"),
        ("bench", "--connections", "0", "from 1 to 256"),
        ("benchimport", "--updates", "1.5", "from 0 to 1"),
        ("benchimport", "--rows", "lots", "from 1 to 10,000"),
        ("cleanimports", "--hours", "-2", "0 or more"),
    ],
)
def test_commands_refuse_numbers_out_of_bounds_before_starting(command, option, value, allowed):
    with pytest.raises(CommandError, match=f"argument {option}: .*{allowed}"):
        call_command(command, option, value)
