"""Migration calculations 0011: a daily cell keyed by (run, day, profile) instead of an id, every row kept,
both ways, on the database the suite runs on (PostgreSQL alters the table, SQLite rebuilds it)."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from calculations import services
from calculations.models import DailyResult

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = DailyResult._meta.db_table
BEFORE = "0010_run_project_required"


def stored_rows() -> list[tuple]:
    columns = ", ".join(connection.ops.quote_name(name) for name in services.DAILY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {TABLE} ORDER BY run_id, day, profile")
        return cursor.fetchall()


def insert_a_copy_of(row: tuple) -> None:
    columns = ", ".join(connection.ops.quote_name(name) for name in services.DAILY_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({', '.join(['%s'] * len(row))})", row)


def key_columns() -> list[set[str]]:
    """The columns of the table's primary key (SQLite's introspection gives them in the table's order)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [set(c["columns"]) for c in constraints.values() if c["primary_key"]]


def test_the_cells_keep_every_row_keyed_by_their_cell_and_back(make_run):
    make_run(days=4)
    make_run(days=3, region="germany")
    rows = stored_rows()
    assert key_columns() == [{"run_id", "day", "profile"}]

    call_command("migrate", "calculations", BEFORE, verbosity=0)
    assert stored_rows() == rows
    assert key_columns() == [{"id"}]
    with connection.cursor() as cursor:  # ids numbered in the cells' order
        cursor.execute(f"SELECT id FROM {TABLE} ORDER BY run_id, day, profile")
        ids = [row[0] for row in cursor.fetchall()]
    assert ids == sorted(ids) and len(set(ids)) == len(rows)
    with pytest.raises(IntegrityError):  # the unique (run, day, profile) is back
        insert_a_copy_of(rows[0])

    call_command("migrate", "calculations", verbosity=0)
    assert stored_rows() == rows
    assert key_columns() == [{"run_id", "day", "profile"}]
    with pytest.raises(IntegrityError):
        insert_a_copy_of(rows[0])


def test_a_run_s_cells_are_read_and_deleted_with_it(make_run):
    kept, deleted = make_run(days=2), make_run(days=3)
    assert services.stored_cells(kept).days == sorted(services.stored_cells(kept).days)
    deleted.delete()
    assert set(DailyResult.objects.values_list("run_id", flat=True)) == {kept.pk}
