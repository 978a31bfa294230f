"""Dump the database the multi-node check used, restore the dump into a new database and compare every table.

Run only by ``.ci/multinode`` (it reads the primary's port from the environment). Each table's rows are compared as
an order-independent digest of their text form, computed by PostgreSQL itself on both sides.
"""

import os
import subprocess
import sys
import tempfile

import psycopg

PGBIN = "/usr/lib/postgresql/15/bin"
PORT = os.environ["PRIMARY_PORT"]
SOURCE, TARGET = "ip_multinode", "ip_multinode_restored"


def url(name: str) -> str:
    return f"postgresql://postgres@127.0.0.1:{PORT}/{name}"


def digests(name: str) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url(name), autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        result = {}
        for table in tables:
            count, digest = connection.execute(
                f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') "
                f'FROM "{table}" AS t'
            ).fetchone()
            result[table] = (count, digest)
        return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        dump = os.path.join(folder, "ip_multinode.dump")
        subprocess.run([f"{PGBIN}/pg_dump", "--format=custom", "--file", dump, url(SOURCE)], check=True)
        subprocess.run([f"{PGBIN}/createdb", "-h", "127.0.0.1", "-p", PORT, "-U", "postgres", TARGET], check=True)
        subprocess.run([f"{PGBIN}/pg_restore", "--no-owner", "--dbname", url(TARGET), dump], check=True)
    before, after = digests(SOURCE), digests(TARGET)
    if before != after:
        differing = sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
        print(f"FAILED: the restored database differs in {differing}", flush=True)
        sys.exit(1)
    rows = sum(count for count, _digest in before.values())
    print(f"ok: a dump restored into a new database holds the same {rows:,} rows in all {len(before)} tables")


if __name__ == "__main__":
    main()
