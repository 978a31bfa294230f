"""The figures' write path (``statistics/figure_writes.py``): COPY and one merge on PostgreSQL, bulk statements
elsewhere, with the same rows and the same history on both.

The suite runs on whichever database ``DATABASE_URL`` names; CI runs it on PostgreSQL and on SQLite, so both paths
are held to the same expectations. The figures are synthetic, for years the report does not cover (2041–2042).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statistics import models

from .test_resources import COUNTRY_PATENT_HEADER, PATENT_MEASURES, import_rows

pytestmark = pytest.mark.django_db

YEARS = (2041, 2042)
COUNTRIES = ("US", "JP", "DE", "FR", "GB", "KR")
WRITES = ("INSERT", "UPDATE", "COPY", "WITH")  # WITH: the merge and its history, one statement


def rows(years, shift: int = 0, changed=frozenset(), countries=COUNTRIES) -> list[list]:
    """Long-format rows of the foreign patent figures; a (country, year, measure) in ``changed`` gets +``shift``."""
    found = [COUNTRY_PATENT_HEADER]
    for year in years:
        for measure in PATENT_MEASURES:
            for index, code in enumerate(countries):
                bonus = shift if (code, year, measure) in changed else 0
                found.append([code, year, measure, index + 10 + bonus, index + 20, year % 7, None])
    return found


def stored() -> dict[tuple, tuple]:
    figures = models.CountryPatentFigure.objects.filter(year__in=YEARS).select_related("country")
    return {(f.country.code, f.year, f.measure): (f.invention, f.utility_model, f.design) for f in figures}


def history(kind: str) -> int:
    return models.CountryPatentFigure.history.filter(year__in=YEARS, history_type=kind).count()


def test_a_new_import_and_a_partial_change_leave_the_rows_and_history_of_the_file(admin_user):
    first = import_rows(models.CountryPatentFigure, rows(YEARS[:1]), user=admin_user)
    assert not first.has_errors() and not first.has_validation_errors()
    created = len(COUNTRIES) * len(PATENT_MEASURES)
    assert len(stored()) == created and history("+") == created and history("~") == 0

    changed = {("US", 2041, "filed"), ("JP", 2041, "granted")}
    second = import_rows(models.CountryPatentFigure, rows(YEARS, shift=5, changed=changed), user=admin_user)
    assert not second.has_errors() and not second.has_validation_errors()

    expected = {(row[0], row[1], row[2]): (row[3], row[4], row[5]) for row in rows(YEARS, 5, changed)[1:]}
    assert stored() == expected
    assert stored()[("US", 2041, "filed")] == (15, 20, 2041 % 7)  # 10 + 5
    assert history("+") == 2 * created  # the second year's rows are new
    assert history("~") == len(changed)  # the two changed rows; the rest of 2041 was left alone
    record = models.CountryPatentFigure.history.filter(year=2041, history_type="~").latest("history_id")
    assert record.history_user_id == admin_user.pk
    assert {(record.country.code, record.measure)} <= {("US", "filed"), ("JP", "granted")}
    # the history holds the row as the table now holds it (the merge's own result), and the import's reason
    assert (record.invention, record.utility_model, record.design) == stored()[
        (record.country.code, 2041, record.measure)
    ]
    assert record.history_change_reason and record.history_change_reason.startswith("import")


def test_the_write_is_a_fixed_number_of_statements_whatever_the_rows(admin_user):
    """On PostgreSQL the rows travel by COPY; elsewhere by bulk statements. Either way no statement per row, nor per
    table and year: one file of one year and two countries writes with as many statements as one of two years (six
    tables and years) and six countries."""

    def statements(countries, years=YEARS) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            result = import_rows(models.CountryPatentFigure, rows(years, countries=countries), user=admin_user)
        assert not result.has_errors() and not result.has_validation_errors()
        figures = models.CountryPatentFigure._meta.db_table  # also names its history and staging tables
        found = [query["sql"] for query in queries.captured_queries]
        return [sql for sql in found if sql.startswith(WRITES) and figures in sql]

    few = statements(COUNTRIES[:2], YEARS[:1])
    models.CountryPatentFigure.objects.filter(year__in=YEARS).delete()
    many = statements(COUNTRIES)
    assert len(stored()) == len(YEARS) * len(COUNTRIES) * len(PATENT_MEASURES)
    assert len(many) == len(few)
    copies = [sql for sql in many if sql.startswith("COPY ")]
    merges = [sql for sql in many if "ON CONFLICT" in sql]
    if connection.vendor == "postgresql":
        assert len(copies) == len(merges) == 1  # one COPY and one merge for the model, whatever its tables and years
    else:
        assert not copies and not merges


def test_an_import_makes_the_same_queries_whatever_its_tables_and_years(admin_user):
    """The check's reads of the stored rows, the locks and the write's read of the existing rows are one round trip
    each for the whole file (per figures model), not one per table and year: a file of one year (three tables) and
    a file of two years (six tables) take as many queries."""

    def queries_of(years) -> int:
        models.CountryPatentFigure.objects.filter(year__in=YEARS).delete()
        with CaptureQueriesContext(connection) as queries:
            result = import_rows(models.CountryPatentFigure, rows(years), user=admin_user)
        assert not result.has_errors() and not result.has_validation_errors()
        return len(queries.captured_queries)

    queries_of(YEARS)  # the first write of the test transaction also moves the published version (once per transaction)
    assert queries_of(YEARS[:1]) == queries_of(YEARS)
    assert len(stored()) == len(YEARS) * len(COUNTRIES) * len(PATENT_MEASURES)
