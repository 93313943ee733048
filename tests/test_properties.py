"""Property-based tests: arbitrary input to every FilterSet and import parser never raises.

A FilterSet either selects rows or reports form errors; a parser either returns rows or
raises ImportFileError with a message for the editor. Nothing else may escape.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.agreements.filters import AgreementFilter, AreaFilter
from partnership.core.listing import filter_rows
from partnership.core.spreadsheets.readers import ImportFileError, read_csv, read_xlsx
from partnership.initiatives.filters import InitiativeFilter
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.investments.resources import InvestmentFigureResource, InvestmentResource
from partnership.organizations.filters import OrganizationFilter
from partnership.sectors.filters import SectorFilter

pytestmark = pytest.mark.slow

FILTERSETS = [
    AgreementFilter,
    AreaFilter,
    InitiativeFilter,
    InvestmentFilter,
    FigureFilter,
    OrganizationFilter,
    SectorFilter,
]

# What can reach a FilterSet from a request: Django decodes query strings as UTF-8 with
# replacement, so a lone surrogate never arrives; everything else can.
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
interesting = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "2021",
        "2021-09-30",
        "NaN",
        "1e309",
        "JP",
        "TH",
        "THB",
        "jtepa",
        "-signed_on",
        "\x00",
    ]
)
value = st.one_of(text, interesting, st.integers().map(str), st.floats().map(str))
PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
def test_filtersets_never_raise(demo, filterset_class):
    names = sorted({*filterset_class.base_filters, "o", "q", "page"})

    @PROPERTY_SETTINGS
    @given(st.dictionaries(st.sampled_from(names), st.lists(value, min_size=1, max_size=3)))
    def check(params):
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name, values in params.items():
            query.setlist(name, values)
        filterset = filterset_class(query, queryset=filterset_class._meta.model.objects.all())
        rows = filter_rows(filterset)
        list(rows[:5])
        if filterset.is_bound and not filterset.is_valid():
            assert filterset.errors

    check()


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_csv_reader_never_raises_anything_but_a_message(data):
    try:
        read_csv(data)
    except ImportFileError as error:
        assert str(error)


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_xlsx_reader_never_raises_anything_but_a_message(data):
    try:
        read_xlsx(data)
    except ImportFileError as error:
        assert str(error)


def csv_file(headers):
    cell = st.one_of(text, interesting, st.integers().map(str))
    rows = st.lists(
        st.lists(cell, min_size=len(headers), max_size=len(headers)), min_size=1, max_size=4
    )

    def render(data):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(data)
        return out.getvalue().encode("utf-8")

    return rows.map(render)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "resource_class", [InvestmentResource, InvestmentFigureResource], ids=lambda r: r.__name__
)
def test_imports_of_arbitrary_rows_never_raise(demo, resource_class):
    headers = [column.name for column in resource_class.columns]

    @PROPERTY_SETTINGS
    @given(csv_file(headers))
    def check(data):
        try:
            dataset = read_csv(data)
        except ImportFileError:
            return
        result = resource_class().import_data(dataset, dry_run=True, raise_errors=False)
        assert result is not None

    check()
