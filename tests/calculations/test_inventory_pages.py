"""The inventory page and its CSV and XLSX downloads: every run and every hypothesis used is exported."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from calculations import services
from calculations.inventory import fiscal_year


@pytest.fixture
def two_runs(make_run):
    return [make_run(days=31, start=date(2025, 1, 1), profiles=("chatbot",)),
            make_run(days=28, start=date(2025, 2, 1), region="germany")]


def test_the_calendar_year_is_the_default_reporting_year(settings):
    settings.INVENTORY_YEAR_START_MONTH = 1
    assert fiscal_year(2025) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_fiscal_year_starting_in_april_ends_in_march(settings):
    settings.INVENTORY_YEAR_START_MONTH = 4
    assert fiscal_year(2025) == (date(2025, 4, 1), date(2026, 3, 31))


def test_the_page_shows_each_project_by_scope_and_month(page_client, two_runs):
    response = page_client.get("/runs/inventory?year=2025")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="project-default"' in body and 'data-scope="not_declared"' in body
    assert "2025-01" in body and "2025-02" in body and "Location-based" in body and "Market-based" in body
    assert all(f"#{run.pk}" in body for run in two_runs)


def test_the_page_names_overlapping_runs(page_client, make_run, analyst):
    run = make_run(days=3)
    again = services.reevaluate_run(run, user=analyst)
    response = page_client.get("/runs/inventory?year=2025")
    assert response.status_code == 400
    assert f"runs {run.pk} and {again.pk}" in response.content.decode()


def test_the_page_in_french(page_client, two_runs):
    body = page_client.get("/runs/inventory?year=2025", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Inventaire" in body and "Fondé sur la localisation" in body


def test_the_csv_carries_every_run_and_hypothesis(page_client, api_client, two_runs):
    document = api_client.get("/api/inventory?start=2025-01-01&end=2025-12-31").json()
    text = page_client.get("/runs/inventory.csv?year=2025").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    runs_at = rows.index(["# Runs"]) + 2
    assert [int(r[0]) for r in rows[runs_at:runs_at + 2]] == [run.pk for run in two_runs]
    hypotheses_at = rows.index(["# Hypotheses"]) + 2
    assert len(rows) - hypotheses_at == len(document["hypotheses"])
    assert {(r[2], r[3]) for r in rows[hypotheses_at:]} >= {("france", "pue"), ("germany", "carbon_intensity")}


def test_the_xlsx_has_a_sheet_of_runs_and_one_of_hypotheses(page_client, api_client, two_runs):
    document = api_client.get("/api/inventory?start=2025-01-01&end=2025-12-31").json()
    response = page_client.get("/runs/inventory.xlsx?year=2025")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Inventory", "Months", "Runs", "Hypotheses"]
    runs = list(workbook["Runs"].iter_rows(values_only=True))
    assert runs[0][:3] == ("id", "project", "label") and [r[0] for r in runs[1:]] == [run.pk for run in two_runs]
    assert [r[8] for r in runs[1:]] == [run.input_sha256 for run in two_runs]
    assert workbook["Hypotheses"].max_row - 1 == len(document["hypotheses"])
    totals = {(r[0], r[1], r[2], r[3]): r for r in workbook["Inventory"].iter_rows(values_only=True)}
    assert totals[("ALL", "energy_kwh", None, None)][5] == document["totals"]["energy_kwh"]["value"]
    assert totals[("ALL", "carbon_market_gco2e", None, "market-based")][5] is None  # not assessed: empty, not 0


def test_the_month_rows_carry_the_90_percent_interval(page_client, api_client, two_runs):
    document = api_client.get("/api/inventory?start=2025-01-01&end=2025-12-31").json()
    january = document["projects"][0]["months"][0]
    workbook = load_workbook(io.BytesIO(page_client.get("/runs/inventory.xlsx?year=2025").content))
    header, first, *_rest = workbook["Months"].iter_rows(values_only=True)
    row = dict(zip(header, first))
    assert row["month"] == "2025-01"
    # openpyxl writes numbers with 16 significant digits ("%.16g"), so a 17th may differ
    assert (row["energy_kwh_p5"], row["carbon_gco2e_p95"]) == pytest.approx(
        (january["energy_kwh"]["p5"], january["carbon_gco2e"]["p95"]), rel=1e-15)
    assert row["carbon_market_gco2e_p5"] is None  # not assessed: empty, not 0
    body = page_client.get("/runs/inventory?year=2025").content.decode()
    months = body.split('id="project-default-months"')[1].split("</table>")[0]
    assert 'class="range range--worst"' in months and "interval not computed" not in months


def test_the_page_restates_a_period_and_shows_the_restated_runs(page_client, make_run, methodology_v2):
    from calculations.models import Run

    base = make_run(days=31, start=date(2024, 1, 1))
    response = page_client.post("/runs/inventory/restate", {"start": "2024-01-01", "end": "2024-12-31",
                                                            "project": "", "runs": "", "version": "2"})
    new = Run.objects.get(derived_from=base)
    assert response.status_code == 302 and f"runs={new.pk}" in response["Location"]
    assert new.methodology_version.number == 2 and Run.objects.filter(pk=base.pk).exists()


def test_the_page_bridges_the_base_year_against_the_current_year(page_client, make_run):
    make_run(days=31, start=date(2024, 1, 1), inferences=100)
    make_run(days=31, start=date(2025, 1, 1), inferences=150)
    response = page_client.get("/runs/inventory?year=2025&base_year=2024")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="inventory-bridge"' in body
    headline = body.split('id="inventory-bridge-headline">')[1].split("<")[0]
    assert headline.startswith("+") and "Usage counted" in headline


def test_an_auditor_is_not_offered_the_restatement(client, django_user_model, make_run):
    from django.contrib.auth.models import Group

    make_run(days=3)
    auditor = django_user_model.objects.create_user("aud", password="pw-aud-5001")
    auditor.groups.add(Group.objects.get(name="Auditors"))
    client.force_login(auditor)
    assert 'id="restate-form"' not in client.get("/runs/inventory?year=2025").content.decode()
    assert client.post("/runs/inventory/restate", {"start": "2025-01-01", "end": "2025-12-31",
                                                   "version": "1"}).status_code == 403
