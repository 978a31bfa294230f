"""An administrator imports the appendix workbook in the admin (preview, then confirm) into a database that holds
the reference data but no figures, and the public pages show the figures as the report prints them."""

import io

import pytest
from django.core.management import call_command

from statistics.tests.conftest import FIGURE_MODELS, figure_counts

from .conftest import BEIJING, YEAR
from .pages import column_of, figure, log_in, messages, table_rows


@pytest.fixture
def appendix_workbook(report_data, tmp_path):
    """The workbook ``export_appendix`` writes for 2025; then the figures are deleted, the reference data kept."""
    path = tmp_path / "附录一-2025.xlsx"
    call_command("export_appendix", year=YEAR, output=str(path), stdout=io.StringIO())
    rows = sum(figure_counts().values())
    for model in FIGURE_MODELS:
        model.objects.all().delete()
    return path, rows


def test_appendix_import_preview_confirm_and_the_overview(new_page, administrator, appendix_workbook, report):
    path, rows = appendix_workbook
    public = new_page()
    public.goto("/")
    assert public.locator("table.figures").count() == 0  # nothing to show yet

    page = new_page()
    log_in(page, administrator.username, "/admin/statistics/appendix-import/")
    page.set_input_files("#id_file", str(path))
    page.click("form[enctype='multipart/form-data'] input[type=submit]")
    page.wait_for_selector("input[name=confirm], ul.errorlist")
    assert page.locator("input[name=confirm]").count() == 1, page.locator("ul.errorlist").all_inner_texts()
    # The preview counts every row as new, and writes nothing.
    assert str(rows) in page.locator("#content table").first.inner_text()
    assert set(figure_counts().values()) == {0}

    page.click("input[name=confirm]")
    page.wait_for_url("**/admin/statistics/importrun/*/change/")
    assert messages(page, "success") and not messages(page, "error")
    assert sum(figure_counts().values()) == rows

    # The overview: national patent filings, domestic (表 1) plus foreign (表 2), as the report prints them.
    public.goto("/")
    domestic = report[1].value("国内总计", YEAR, "合计")
    foreign = report[2].value("国外在华总计", YEAR, "合计")
    headlines = public.locator("ul.headlines li.headline .value").all_inner_texts()
    assert figure(domestic + foreign) in headlines
    table = "table.figures[data-figures=patents]"
    current = column_of(public, table, str(YEAR))
    assert any(
        row[current] == figure(domestic + foreign) and row[-2:] == [figure(domestic), figure(foreign)]
        for row in table_rows(public, table)
    ), table_rows(public, table)

    # 北京's page: its 2025 patent filings as printed in 表 1.
    public.goto(f"/province/{BEIJING}/?year={YEAR}")
    table = "table.figures[data-figures=patents]"
    current = column_of(public, table, str(YEAR))
    assert figure(report[1].value("北京", YEAR, "合计")) in [row[current] for row in table_rows(public, table)]
