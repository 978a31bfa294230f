"""People in each role (the returns' fixtures); the report itself is loaded once by the root conftest."""

from returns.tests.conftest import (  # noqa: F401 (fixtures)
    administrator,
    beijing,
    entered_codes,
    guangdong,
    officer,
    open_period,
    other_officer,
    reviewer,
)
