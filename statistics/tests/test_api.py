"""The statistics API: public reads of the report's figures, filters, permissions and constant query counts.

Expected figures come from the report's text (the ``report`` fixture of ``conftest.py``), not from the loader.
"""

import pytest
from rest_framework.test import APIClient

from review.roles import GROUP_NAMES, Role, ensure_role_groups
from statistics import models
from statistics.tests import factories

API = "/api/v1"


@pytest.fixture
def client():
    return APIClient()


def user_with_role(role: Role, **extra):
    groups = ensure_role_groups()
    user = factories.UserFactory(**extra)
    user.groups.add(groups[role])
    assert user.groups.filter(name=GROUP_NAMES[role]).exists()
    return user


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.REVIEWER)


@pytest.fixture
def administrator(db):
    return user_with_role(Role.ADMINISTRATOR, is_staff=True)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ---------------------------------------------------------------------------------------------------------------
# Figures as printed in the report
# ---------------------------------------------------------------------------------------------------------------

PATENT_TABLES = {1: "filed", 3: "granted", 5: "in_force"}  # domestic; tables 2, 4, 6 are the foreign ones


@pytest.mark.django_db
@pytest.mark.parametrize("table,measure", PATENT_TABLES.items())
def test_region_patent_figures_are_the_printed_ones(client, report, table, measure):
    printed = report[table].keyed(report[table].row("北京"))
    rows = results(client.get(f"{API}/region-patent-figures/", {"year": 2025, "region": "110000", "measure": measure}))
    assert len(rows) == 1
    row = rows[0]
    assert row["region"] == {"code": "110000", "name_zh": "北京", "name_en": "Beijing", "level": "province"}
    assert (row["year"], row["measure"]) == (2025, measure)
    for column in ("invention", "utility_model", "design", "total"):
        assert row[column] == printed[(2025, column)], column


@pytest.mark.django_db
@pytest.mark.parametrize("table,measure", {2: "filed", 4: "granted", 6: "in_force"}.items())
def test_country_patent_figures_are_the_printed_ones(client, report, table, measure):
    printed = report[table].keyed(report[table].row("美国"))
    for year in (2024, 2025):
        rows = results(
            client.get(f"{API}/country-patent-figures/", {"year": year, "country": "US", "measure": measure})
        )
        assert [row["country"]["code"] for row in rows] == ["US"]
        for column in ("invention", "utility_model", "design", "total"):
            assert rows[0][column] == printed[(year, column)], (year, column)


@pytest.mark.django_db
def test_trademark_figures_are_the_printed_ones(client, report):
    region_printed = report[7].keyed(report[7].row("广东"))
    country_printed = report[8].keyed(report[8].row("日本"))
    (region_row,) = results(client.get(f"{API}/region-trademark-figures/", {"year": 2025, "region": "广东"}))
    (country_row,) = results(client.get(f"{API}/country-trademark-figures/", {"year": 2025, "country": "JP"}))
    for column in ("applications", "registrations", "in_force"):
        assert region_row[column] == region_printed[(2025, column)]
        assert country_row[column] == country_printed[(2025, column)]


@pytest.mark.django_db
@pytest.mark.parametrize("table,measure", {9: "gi_products", 10: "gi_marks", 11: "ic_applications"}.items())
def test_count_figures_are_the_printed_ones(client, report, table, measure):
    label = report[table].province_rows()[0].label
    printed = report[table].keyed(report[table].row(label))
    (row,) = results(client.get(f"{API}/region-count-figures/", {"year": 2025, "region": label, "measure": measure}))
    assert row["region"]["name_zh"] == label
    assert row["value"] == printed[(2025, measure)]


@pytest.mark.django_db
def test_a_year_of_a_table_lists_every_printed_region_row(client, report):
    """Table 1, 2025: one row per printed region row (provinces and "of which" rows), nothing else."""
    printed = {row.label.strip("()") for row in report[1].domestic_rows()}
    rows = results(client.get(f"{API}/region-patent-figures/", {"year": 2025, "measure": "filed", "page_size": 1000}))
    assert {row["region"]["name_zh"] for row in rows} == printed
    assert len(rows) == len(printed)


@pytest.mark.django_db
def test_country_figures_of_a_joint_holder_and_its_members(client, report):
    row = results(client.get(f"{API}/countries/", {"kind": "joint", "q": "BE+DE"}))[0]
    assert row["members"] == ["BE", "DE", "FR", "NL"]
    assert client.get(f"{API}/countries/BE+DE+FR+NL/").json()["name_zh"] == "比利时、德国、法国、荷兰"


# ---------------------------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["110000", "北京", "北　京", "Beijing", "北京市"])
def test_a_region_is_found_by_code_or_any_name(client, term):
    rows = results(client.get(f"{API}/region-patent-figures/", {"year": 2025, "region": term}))
    assert {row["region"]["code"] for row in rows} == {"110000"}
    assert sorted(row["measure"] for row in rows) == ["filed", "granted", "in_force"]


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["US", "USA", "美国", "United States"])
def test_a_country_is_found_by_code_or_name(client, term):
    rows = results(client.get(f"{API}/country-trademark-figures/", {"country": term}))
    assert {(row["country"]["code"], row["year"]) for row in rows} == {("US", 2024), ("US", 2025)}


@pytest.mark.django_db
def test_an_unknown_region_is_refused_with_its_name(client):
    response = client.get(f"{API}/region-patent-figures/", {"region": "亚特兰蒂斯"})
    assert response.status_code == 400
    assert "亚特兰蒂斯" in response.json()["region"][0]


@pytest.mark.django_db
def test_an_unknown_country_is_refused_with_its_name(client):
    response = client.get(f"{API}/country-count-figures/", {"country": "Atlantis"})
    assert response.status_code == 400
    assert "Atlantis" in response.json()["country"][0]


@pytest.mark.django_db
def test_year_range_and_level_filters(client):
    rows = results(client.get(f"{API}/region-trademark-figures/", {"year__gte": 2025, "level": "city"}))
    assert rows and {row["year"] for row in rows} == {2025}
    assert {row["region"]["level"] for row in rows} == {"city"}
    assert results(client.get(f"{API}/region-trademark-figures/", {"year__lte": 2023})) == []


@pytest.mark.django_db
def test_an_unknown_measure_is_refused(client):
    assert client.get(f"{API}/region-patent-figures/", {"measure": "stolen"}).status_code == 400


@pytest.mark.django_db
def test_regions_filter_by_province(client):
    rows = results(client.get(f"{API}/regions/", {"parent": "广东"}))
    assert {row["name_zh"] for row in rows} == {"广州", "深圳"}
    assert {row["parent"] for row in rows} == {"440000"}


# ---------------------------------------------------------------------------------------------------------------
# Permissions and authentication
# ---------------------------------------------------------------------------------------------------------------

PUBLIC_LISTS = [
    "regions",
    "countries",
    "region-patent-figures",
    "country-patent-figures",
    "region-trademark-figures",
    "country-trademark-figures",
    "region-count-figures",
    "country-count-figures",
    "indicator-groups",
    "indicators",
]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PUBLIC_LISTS)
def test_national_statistics_are_public(client, prefix):
    response = client.get(f"{API}/{prefix}/")
    assert response.status_code == 200
    assert response.json()["count"] >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PUBLIC_LISTS)
def test_anonymous_users_cannot_write(client, prefix):
    assert client.post(f"{API}/{prefix}/", {}, format="json").status_code in (401, 403)


@pytest.mark.django_db
def test_figures_are_not_written_through_the_api(client, administrator):
    """Figures change only through the importers and the admin, which run the table rules."""
    client.force_authenticate(administrator)
    figure = models.RegionPatentFigure.objects.filter(year=2025).first()
    assert client.post(f"{API}/region-patent-figures/", {}, format="json").status_code == 405
    response = client.patch(f"{API}/region-patent-figures/{figure.pk}/", {"invention": 1}, format="json")
    assert response.status_code == 405
    assert client.delete(f"{API}/region-patent-figures/{figure.pk}/").status_code == 405
    figure.refresh_from_db()
    assert figure.invention != 1


@pytest.mark.django_db
def test_import_runs_are_for_staff_with_the_view_permission(client, reviewer, administrator):
    models.ImportRun.objects.create(kind="appendix", filename="appendix-2025.xlsx", sha256="0" * 64)
    assert client.get(f"{API}/import-runs/").status_code in (401, 403)
    client.force_authenticate(reviewer)
    assert client.get(f"{API}/import-runs/").status_code == 403
    reviewer.is_staff = True  # staff, but without the permission
    reviewer.save()
    client.force_authenticate(reviewer)
    assert client.get(f"{API}/import-runs/").status_code == 403
    client.force_authenticate(administrator)
    rows = results(client.get(f"{API}/import-runs/"))
    assert rows[0]["filename"] == "appendix-2025.xlsx"
    assert "source" not in rows[0]


@pytest.mark.django_db
def test_token_authentication(client, administrator):
    administrator.set_password("a long and unusual password")
    administrator.save()
    response = client.post(
        f"{API}/token/", {"username": administrator.username, "password": "a long and unusual password"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"{API}/import-runs/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    # A wrong token is refused even on public data (403: session authentication comes first in the settings).
    assert client.get(f"{API}/regions/").status_code in (401, 403)


@pytest.mark.django_db
def test_schema_and_documentation_pages(client):
    schema = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for prefix in [*PUBLIC_LISTS, "import-runs"]:
        assert f"{API}/{prefix}/" in paths, prefix
    parameters = {parameter["name"] for parameter in paths[f"{API}/region-patent-figures/"]["get"]["parameters"]}
    assert {"year", "region", "measure", "page", "page_size"} <= parameters
    assert client.get(f"{API}/docs/").status_code == 200
    assert client.get(f"{API}/redoc/").status_code == 200
