"""Imports of the same (table, year) are serialised on every server: the check and the write hold a lock."""

import pytest
from django.db import connection, transaction

from core import locks
from statistics.services import FIXTURES, check_tables, read_fixture_tables, table_lock_keys


def held_advisory_locks() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT classid::bigint << 32 | objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid()"  # this connection's: other workers import too
        )
        return {row[0] for row in cursor.fetchall()}


def test_keys_are_stable_signed_64_bit_numbers():
    number = locks.key_number("statistics:table:1:2025")
    assert number == locks.key_number("statistics:table:1:2025")
    assert number != locks.key_number("statistics:table:1:2024")
    assert -(2**63) <= number < 2**63


@pytest.mark.django_db(transaction=True)
def test_holding_a_lock_outside_a_transaction_is_refused_on_postgresql_and_free_on_sqlite():
    if connection.vendor == "postgresql":
        with pytest.raises(transaction.TransactionManagementError):
            locks.hold("x")
    else:
        locks.hold("x")  # SQLite: BEGIN IMMEDIATE already serialises writers; nothing to take


@pytest.mark.django_db(transaction=True)
def test_checking_tables_inside_a_transaction_holds_one_lock_per_table_and_year():
    datas = read_fixture_tables(FIXTURES / "appendix.csv")[:2]
    keys = table_lock_keys(datas)
    assert keys == [f"statistics:table:{d.table.number}:{year}" for d in datas for year in d.years]
    with transaction.atomic():
        check_tables(datas)
        if connection.vendor == "postgresql":
            wanted = {locks.key_number(key) & 0xFFFFFFFFFFFFFFFF for key in keys}
            assert wanted <= {number & 0xFFFFFFFFFFFFFFFF for number in held_advisory_locks()}
    if connection.vendor == "postgresql":
        assert not held_advisory_locks()  # released with the transaction
