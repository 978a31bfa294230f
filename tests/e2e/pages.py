"""What a person does in the browser, as small functions shared by the journeys. Elements are found by id or by
structure, never by their (Chinese) text."""

from django.utils import translation

from review.models import State

PASSWORD = "e2e-password-2025"  # every person the browser tests create signs in with it


def log_in(page, username: str, next_url: str = "/admin/") -> None:
    """Through the admin's login form, as a person would."""
    page.goto(f"/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def messages(page, level: str) -> list[str]:
    """The admin's messages of one level (success, warning, error) on the current page."""
    return page.locator(f"ul.messagelist li.{level}").all_inner_texts()


def sheet_url(annual_return) -> str:
    return f"/admin/returns/annualreturn/{annual_return.pk}/change/"


def state_label(state: State) -> str:
    """A state as the Chinese interface shows it in ``#return-state``."""
    with translation.override("zh-hans"):
        return str(state.label)


def table_rows(page, selector: str) -> list[list[str]]:
    """The text of every body row of a table, cell by cell (header cells included)."""
    return page.locator(selector).evaluate(
        "table => Array.from(table.tBodies[0].rows, row => Array.from(row.cells, cell => cell.innerText.trim()))"
    )


def column_of(page, selector: str, heading: str) -> int:
    """The index of the column whose header reads ``heading`` (a year, for instance)."""
    headings = page.locator(selector).evaluate(
        "table => Array.from(table.tHead.rows[0].cells, cell => cell.innerText.trim())"
    )
    return headings.index(heading)


def figure(value: int) -> str:
    """A figure as the dashboards print it: thousands separated."""
    return f"{value:,}"
