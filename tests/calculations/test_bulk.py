"""calculations.bulk: one statement per table whatever the number of rows, inside the run's transaction.

Runs on the configured database: COPY on PostgreSQL, multi-row INSERTs on SQLite.
"""

from datetime import date, timedelta

import numpy as np
import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from calculations import bulk, services
from calculations.engine.compute import DailyResults
from calculations.models import ESTIMATE_COLUMNS, DailyResult, ProfileResult, Run, RunSource


def csv_for(days: int, profiles=("chatbot", "completion"), tokens: bool = False) -> bytes:
    first = date(2024, 1, 1)
    rows = []
    for offset in range(days):
        day = (first + timedelta(days=offset)).isoformat()
        for index, profile in enumerate(profiles):
            n = 100 * offset + index + 1
            rows.append(f"{day},{profile},{n},{n * 1234 if tokens else ''},{n * 321 if tokens else ''}")
    return ("date,profile,inferences,input_tokens,output_tokens\n" + "\n".join(rows) + "\n").encode()


def json_types(value):
    """The document's shape with the type of every leaf, to compare beyond ==, for which 1 == 1.0."""
    if isinstance(value, dict):
        return {key: json_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_types(item) for item in value]
    return type(value).__name__


def save(analyst, data: bytes) -> Run:
    evaluation = services.evaluate_upload(data, content_type="text/csv")
    return services.save_run(evaluation, user=analyst, source=RunSource.CLI)


# 6 rows: bulk_create; 800 rows: COPY, or on SQLite 4 INSERTs of bulk.SQLITE_ROWS_PER_STATEMENT rows;
# 40 rows: fewer than one such INSERT (the rows left over only); 866 rows: 4 of them and 66 left over.
@pytest.mark.parametrize("days", [3, 400, 20, 433])
def test_saved_rows_hold_exactly_the_computed_cells(analyst, methodology_v1, days):
    evaluation = services.evaluate_upload(csv_for(days, tokens=days > 3), content_type="text/csv")
    run = services.save_run(evaluation, user=analyst, source=RunSource.CLI)
    stored = list(run.daily_results.order_by("day", "profile").values_list(*services.DAILY_COLUMNS[1:]))
    expected = [
        (c.day, c.profile, c.inferences, c.input_tokens, c.output_tokens, c.explicit_input_tokens,
         c.explicit_output_tokens, c.cached_input_tokens or None, *services._estimate_values(c))
        for c in evaluation.result.cells
    ]
    assert stored == expected  # floats bit for bit, None where not assessed or not given
    profiles = list(run.profile_results.order_by("profile").values_list(*services.PROFILE_COLUMNS[1:]))
    assert profiles == [
        (p.profile, p.model, p.inferences, p.input_tokens, p.output_tokens, p.cached_input_tokens,
         *services._estimate_values(p))
        for p in evaluation.result.profiles
    ]


def test_days_written_in_bulk_are_found_by_the_orm_s_date_lookups(analyst, methodology_v1):
    run = save(analyst, csv_for(433))  # 866 rows: the bulk path (COPY, or SQLite's chunked INSERTs)
    assert run.daily_results.filter(day=date(2024, 3, 1)).count() == 2
    assert run.daily_results.filter(day__range=(date(2024, 12, 30), date(2025, 1, 2))).count() == 8
    assert run.daily_results.filter(day__year=2025).count() == 2 * (433 - 366)


def test_the_number_of_queries_does_not_depend_on_the_number_of_days(analyst, methodology_v1):
    save(analyst, csv_for(2))  # warm the methodology cache

    def statements(days: int) -> int:
        evaluation = services.evaluate_upload(csv_for(days), content_type="text/csv")
        with CaptureQueriesContext(connection) as captured:
            services.save_run(evaluation, user=analyst, source=RunSource.CLI)
        return len(captured.captured_queries)

    # 2 rows (bulk_create), 40 (just above bulk.ORM_MAX_ROWS) and 3000 (many SQLite batches before).
    counts = {days: statements(days) for days in (1, 20, 1500)}
    assert len(set(counts.values())) == 1, counts
    assert DailyResult.objects.count() == 2 * (2 + 1 + 20 + 1500)


def test_a_refused_row_in_the_middle_of_a_bulk_insert_leaves_no_run(analyst, methodology_v1):
    evaluation = services.evaluate_upload(csv_for(300), content_type="text/csv")
    cells = list(evaluation.result.cells)
    cells.insert(400, cells[10])  # the same (day, profile) twice: the unique constraint refuses row 401
    evaluation.result.cells = DailyResults.of(cells)
    with pytest.raises(IntegrityError):
        services.save_run(evaluation, user=analyst, source=RunSource.CLI)
    assert not Run.objects.exists()
    assert not DailyResult.objects.exists() and not ProfileResult.objects.exists()


def test_an_error_while_streaming_the_rows_leaves_no_run(analyst, methodology_v1, monkeypatch):
    class FailsMidway(list):  # the rows are read a chunk at a time: the third chunk fails
        def __getitem__(self, index):
            if isinstance(index, slice) and index.start >= 250:
                raise RuntimeError("disk full")
            return super().__getitem__(index)

    monkeypatch.setattr(bulk, "ROWS_PER_CHUNK", 100)
    evaluation = services.evaluate_upload(csv_for(300), content_type="text/csv")
    evaluation.result.cells.input_tokens = FailsMidway(evaluation.result.cells.input_tokens)
    with pytest.raises(RuntimeError, match="disk full"):
        services.save_run(evaluation, user=analyst, source=RunSource.CLI)
    assert not Run.objects.exists() and not DailyResult.objects.exists()
    save(analyst, csv_for(300))  # the connection is usable afterwards
    assert DailyResult.objects.count() == 600


def test_small_batches_go_through_bulk_create(analyst, methodology_v1, monkeypatch):
    used = []
    original = DailyResult.objects.bulk_create
    monkeypatch.setattr(DailyResult.objects, "bulk_create", lambda objs, **kw: used.append(len(objs)) or original(objs, **kw))
    save(analyst, csv_for(bulk.ORM_MAX_ROWS // 2))
    save(analyst, csv_for(bulk.ORM_MAX_ROWS))
    assert used == [bulk.ORM_MAX_ROWS]
    assert DailyResult.objects.count() == bulk.ORM_MAX_ROWS * 3


def test_a_small_batch_is_one_insert_even_under_sqlites_parameter_limit():
    for columns in (services.DAILY_COLUMNS, services.PROFILE_COLUMNS):
        assert bulk.ORM_MAX_ROWS * len(columns) <= 999


def test_unsupported_columns_are_refused(methodology_v1):
    with pytest.raises(ValueError, match="no column"):
        bulk.insert_rows(Run, ["nope"], [(1,)] * 50)
    with pytest.raises(ValueError, match="not supported"):
        bulk.insert_rows(Run, ["mappings"], [([],)] * 50)
    with pytest.raises(ValueError, match="not supported"):
        bulk.insert_rows(Run, ["created_at"], [(None,)] * 50)


# --- EnergyView's response: the document written from the cells (calculations/api/rendering.py) -------


def test_the_templated_daily_cells_equal_result_document(analyst, methodology_v1):
    from dataclasses import replace

    from calculations.api import rendering
    from calculations.engine.result import result_document

    evaluation = services.evaluate_upload(csv_for(3, tokens=True), content_type="text/csv")
    cells = list(evaluation.result.cells)
    cells[1] = replace(cells[1], embodied_gco2e=None, carbon_total_gco2e=None)  # not assessed
    cells[2] = replace(cells[2], water_l=None)
    cells[3] = replace(cells[3], input_tokens=1500.5, explicit_input_tokens=None)
    cells = evaluation.result.cells = DailyResults.of(cells)
    import json

    expected = result_document(evaluation.result, evaluation.summary, evaluation.parameters)["daily"]
    assert json.loads(b"[" + rendering.cells_json(cells, {}) + b"]") == expected


@pytest.mark.parametrize("days", [4, 5001])  # 8 cells: one HttpResponse; 10 002 cells: streamed
def test_the_api_answers_the_same_document_whatever_its_size(api_client, methodology_v1, days):
    import json

    from calculations.api import rendering

    data = csv_for(days)
    response = api_client.post("/api/energy", data=data, content_type="text/csv")
    assert response.status_code == 201
    assert response.streaming == (2 * days >= rendering.STREAM_MIN_CELLS)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    document = json.loads(body)
    expected = services.evaluate_upload(data, content_type="text/csv").document()
    answered = {key: value for key, value in document.items() if key != "run"}
    assert answered == expected
    assert json_types(answered) == json_types(expected)  # 1500 is not 1500.0, null is not 0
    assert list(answered) == list(expected) and list(answered["daily"][0]) == list(expected["daily"][0])
    assert document["run"]["id"] == Run.objects.get().pk
    assert response["Content-Type"] == "application/json"


def test_the_browsable_api_still_renders_through_drf(api_client, methodology_v1):
    response = api_client.post("/api/energy?save=false", data=csv_for(2), content_type="text/csv",
                               HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    indented = api_client.post("/api/energy?save=false", data=csv_for(2), content_type="text/csv",
                               HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "methodology"')


def test_rows_are_streamed_to_the_database_not_held_in_memory(analyst, methodology_v1):
    import tracemalloc

    run = save(analyst, csv_for(1))
    first, figures = date(1990, 1, 1), [0.5] * len(ESTIMATE_COLUMNS)

    def rows(count: int):
        for offset in range(count):
            yield (run.pk, first + timedelta(days=offset), "summary", offset, float(offset), float(offset),
                   None, None, None, *figures)

    tracemalloc.start()
    try:
        written = bulk.insert_rows(DailyResult, services.DAILY_COLUMNS, rows(20_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == 20_000
    assert peak < 20_000 * 50, peak  # a row held costs ~300 bytes; holding them all would be 6 MB


def test_execute_wrappers_see_the_bulk_insert_of_the_daily_rows(analyst, methodology_v1):
    seen = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        save(analyst, csv_for(400))  # 800 rows: COPY on PostgreSQL, executemany on SQLite
    assert [sql.split()[0] for sql in seen if DailyResult._meta.db_table in sql] == [
        "COPY" if connection.vendor == "postgresql" else "INSERT"
    ]


def test_deleting_a_run_deletes_its_daily_rows_and_no_others(analyst, methodology_v1):
    deleted, kept = save(analyst, csv_for(50)), save(analyst, csv_for(20))
    deleted.delete()
    assert set(DailyResult.objects.values_list("run_id", flat=True)) == {kept.pk}
    assert DailyResult.objects.count() == 40


def test_rows_given_as_columns_are_stored_as_the_same_rows_written_one_by_one(analyst, methodology_v1):
    # Dates before and after 2000 (PostgreSQL's epoch), texts beyond ASCII, explicit counts given for
    # some cells only, estimates not assessed in a whole column and in single cells.
    by_columns, by_rows = save(analyst, csv_for(1)), save(analyst, csv_for(1))
    DailyResult.objects.all().delete()  # the runs hold only the rows written here
    count = 300
    days = [date(1999, 12, 25) + timedelta(days=index // 3) for index in range(count)]
    profiles = ["chatbot", "résumé", "検索"] * (count // 3)
    inferences = list(range(count))
    tokens = [index * 0.1 for index in range(count)]
    explicit = [None if index % 4 else index * 10 for index in range(count)]
    estimates = np.arange(count * len(ESTIMATE_COLUMNS), dtype=float).reshape(count, -1) / 7
    estimates[:, 6:9] = np.nan
    estimates[5, 9] = np.nan  # embodied carbon (nullable), one cell
    columns = [days, profiles, inferences, tokens, tokens, explicit, explicit, [None] * count]
    bulk.insert_columns(DailyResult, services.DAILY_COLUMNS, [bulk.Same(by_columns.pk), *columns,
                        *(estimates[:, index] for index in range(len(ESTIMATE_COLUMNS)))], count,
                        nan_is_null=ESTIMATE_COLUMNS)
    plain = [[None if value != value else value for value in row] for row in estimates.tolist()]
    bulk.insert_rows(DailyResult, services.DAILY_COLUMNS,
                     [(by_rows.pk, *cells, *figures) for cells, figures in zip(zip(*columns), plain)])

    def stored(run):
        return list(DailyResult.objects.filter(run=run).order_by("pk").values_list(*services.DAILY_COLUMNS[1:]))

    assert stored(by_columns) == stored(by_rows)
    assert stored(by_columns)[5][8:] == tuple(plain[5]) and stored(by_columns)[5][8 + 9] is None


def test_rows_given_as_columns_are_written_a_chunk_at_a_time(analyst, methodology_v1, monkeypatch):
    import tracemalloc

    run = save(analyst, csv_for(1))
    count, first = 20_000, date(1990, 1, 1)
    days = [first + timedelta(days=offset) for offset in range(count)]
    numbers = np.arange(count, dtype=float)
    columns = [bulk.Same(run.pk), days, ["summary"] * count, list(range(count)), numbers, numbers,
               [None] * count, [None] * count, [None] * count, *([numbers] * len(ESTIMATE_COLUMNS))]
    monkeypatch.setattr(bulk, "ROWS_PER_CHUNK", 1000)
    tracemalloc.start()
    try:
        written = bulk.insert_columns(DailyResult, services.DAILY_COLUMNS, columns, count,
                                      nan_is_null=ESTIMATE_COLUMNS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == count
    assert peak < count * 100, peak  # a row takes ~300 bytes written out; all of them at once would be 6 MB
