"""The audit report (/runs/<id>/report), the tornado chart of the run page, the period view
(/runs/periods) and the "not assessed" figures of a methodology version without the
parameters of methodology.md section 6."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from pages_testing import chart_data, text

from calculations import selectors
from calculations.presentation import numbers
from methodology.selectors import parameter_set_for, version_canonical
from methodology.services import create_version_from_parameters, publish_version


def block(html: str, element_id: str, tag: str = "tbody") -> str:
    """The HTML of the <tag id="element_id"> element (not nested in another of the same tag)."""
    start = html.index(f'id="{element_id}"')
    return html[start:html.index(f"</{tag}>", start)]


@pytest.fixture
def version_without_extension(methodology_v1):
    """A version whose regions and models lack the parameters of methodology.md section 6 (water and
    embodied carbon), and without equivalents: built from v1's parameters with those set to None."""
    parameters = parameter_set_for(methodology_v1)
    regions = {code: dataclasses.replace(r, wue=None, water_intensity=None) for code, r in parameters.regions.items()}
    models = {code: dataclasses.replace(m, embodied_kgco2e=None, lifetime_years=None)
              for code, m in parameters.models.items()}
    older = dataclasses.replace(parameters, regions=regions, models=models, equivalents={}, _alias_index={})
    return publish_version(create_version_from_parameters(older, label="Electricity only"))


# --------------------------------------------------------------------------- permissions


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/runs/1/report", "/runs/periods", "/runs/periods?runs=1,2", "/runs/periods?run=1&run=2",
    "/runs/methodology.md",
])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_report_and_the_period_view_only_answer_get(page_client, make_run):
    run = make_run()
    assert page_client.post(f"/runs/{run.pk}/report").status_code == 405
    assert page_client.post(f"/runs/periods?runs={run.pk}").status_code == 405


def test_a_missing_run_has_no_report(page_client, methodology_v1):
    assert page_client.get("/runs/999/report").status_code == 404


# --------------------------------------------------------------------------- run page


def test_run_page_links_the_report_and_draws_the_tornado_largest_swing_first(page_client, make_run):
    run = make_run(days=30)
    response = page_client.get(f"/runs/{run.pk}/")
    body = response.content.decode()
    assert f'href="/runs/{run.pk}/report"' in body
    tornado = chart_data(response, "tornado-chart-data")
    swings = selectors.run_sensitivity(run)
    assert tornado["kind"] == "tornado" and len(tornado["labels"]) == min(10, len(swings))
    widths = [abs(high - low) for low, high in zip(tornado["low"], tornado["high"])]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]
    # The same order as the engine's swings, with readable labels and the values tried.
    assert "France · carbon intensity (gCO2e/kWh)" in tornado["labels"]
    at = tornado["labels"].index("France · carbon intensity (gCO2e/kWh)")
    assert (tornado["low_values"][at], tornado["high_values"][at]) == ("21.7 gCO2e/kWh", "56 gCO2e/kWh")
    unit = numbers.carbon_unit(run.carbon_gco2e_value)
    assert tornado["unit"] == unit.symbol
    assert tornado["central"] == pytest.approx(run.carbon_gco2e_value * unit.factor)
    for swing, low, high in zip(swings, tornado["low"], tornado["high"]):
        assert low == pytest.approx(swing.carbon_gco2e_at_low * unit.factor)
        assert high == pytest.approx(swing.carbon_gco2e_at_high * unit.factor)
    # Every swing, not only the ten drawn, is in the table below the chart.
    table = block(body, "sensitivity-table", "table")
    assert table.count("<tr>") == len(swings) + 1  # + the header row


def test_the_tornado_order_on_a_constructed_case(page_client, make_run):
    """Chatbot answers only, in Germany. Carbon is proportional to power x busy_s / efficiency x PUE x CI, with
    busy_s = 1500/15000 + 400/1500 = 0.3667 s at central values. Each hypothesis alone at its low and its high
    value gives, relative to the central carbon:

      output tokens 150-800:     busy 0.2 and 0.6333       -> 0.545-1.727  swing 1.18
      efficiency 0.3-0.8:        0.5/0.3 and 0.5/0.8       -> 1.667-0.625  swing 1.04
      decode 800-3000 tokens/s:  busy 0.6 and 0.2333       -> 1.636-0.636  swing 1.00
      input tokens 500-4000:     busy 0.3 and 0.5333       -> 0.818-1.455  swing 0.64
      GPU power 300-700 W:       2400/2600 and 3400/2600   -> 0.692-1.308  swing 0.62
      PUE 1.09-1.56:             /1.2                      -> 0.908-1.300  swing 0.39
      prefill 8000-30000 tok/s:  busy 0.4542 and 0.3167    -> 1.239-0.864  swing 0.375
      host power 400-900 W:      2400/2600 and 2900/2600   -> 0.923-1.115  swing 0.19
      carbon intensity 330-381:  /344                      -> 0.959-1.108  swing 0.15
    (the GPU count is exact: no swing)."""
    run = make_run(days=2, profiles=("chatbot",), region="germany")
    tornado = chart_data(page_client.get(f"/runs/{run.pk}/"), "tornado-chart-data")
    assert tornado["labels"] == [
        "chatbot · output tokens per inference (tokens)",
        "llm-large-4xh100 · efficiency η",
        "llm-large-4xh100 · decode throughput (tokens/s)",
        "chatbot · input tokens per inference (tokens)",
        "llm-large-4xh100 · GPU power (W)",
        "Germany · PUE",
        "llm-large-4xh100 · prefill throughput (tokens/s)",
        "llm-large-4xh100 · host power (W)",
        "Germany · carbon intensity (gCO2e/kWh)",
    ]
    central = tornado["central"]
    ratios = [(round(low / central, 3), round(high / central, 3)) for low, high in zip(tornado["low"], tornado["high"])]
    assert ratios[:3] == [(0.545, 1.727), (1.667, 0.625), (1.636, 0.636)]
    assert ratios[-1] == (round(330 / 344, 3), round(381 / 344, 3))


def test_run_page_shows_usage_embodied_total_carbon_and_water_with_ranges(page_client, make_run):
    run = make_run()
    page = text(page_client.get(f"/runs/{run.pk}/"))
    assert re.search(r"Embodied carbon [\d.,]+ (g|kg)CO2e \([\d.,]+–[\d.,]+\)", page)
    assert re.search(r"Carbon, electricity and embodied [\d.,]+ (g|kg)CO2e \([\d.,]+–[\d.,]+\)", page)
    assert re.search(r"Water [\d.,]+ L \([\d.,]+–[\d.,]+\)", page)
    assert "not assessed by this methodology version" not in page  # market-based carbon is apart: by region


def test_a_version_without_the_extension_shows_not_assessed_never_zero(page_client, make_run,
                                                                       version_without_extension):
    run = make_run(version=version_without_extension)
    assert run.embodied_gco2e is None and run.water_l is None
    response = page_client.get(f"/runs/{run.pk}/")
    body = response.content.decode()
    page = text(response)
    assert page.count("not assessed by this methodology version") == 3
    assert 'id="total-embodied"' not in body and 'id="total-water"' not in body
    assert re.search(r"Energy [\d.,]+ (Wh|kWh) \(", page)  # electricity is still assessed
    assert "Distance driven by an average car" not in page  # an equivalent of a figure not assessed


# --------------------------------------------------------------------------- audit report


def test_report_lists_every_parameter_of_the_version_with_its_value(page_client, make_run, methodology_v1):
    run = make_run()
    response = page_client.get(f"/runs/{run.pk}/report")
    assert response.status_code == 200
    body = response.content.decode()
    canonical = version_canonical(methodology_v1)
    checked = 0
    with translation.override("en"):
        for section in ("regions", "models", "profiles", "equivalents"):
            for code, entry in canonical[section].items():
                html = block(body, f"{section}-{code}")
                assert entry["name"] in html
                for name, param in entry.items():
                    if isinstance(param, dict):
                        assert f"<code class=\"muted small\">{name}</code>" in html or section == "equivalents"
                        assert f'<td class="num">{numbers.number(param["value"], 6)}</td>' in html, (code, name)
                        if param["low"] != param["high"]:
                            low, high = numbers.number(param["low"], 6), numbers.number(param["high"], 6)
                            assert f"{low}–{high}" in html, (code, name)
                        checked += 1
                for alias in entry.get("aliases", []):
                    assert f"<code>{alias}</code>" in html
    assert checked == 50 + 3  # every parameter of v1 and its three equivalents
    assert "53 parameters" in text(response)


def test_report_names_the_hashes_engine_author_and_how_to_reproduce(page_client, make_run, analyst):
    run = make_run(label="Portal Q1")
    run.mappings = [{"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 2}]
    run.save()
    response = page_client.get(f"/runs/{run.pk}/report")
    body = response.content.decode()
    page = text(response)
    assert f"Run #{run.pk} Portal Q1" in page
    assert run.methodology_sha256 in body and run.input_sha256 in body and run.engine_version in body
    assert "analyst" in page and "Web upload" in page and "2025-01-01 → 2025-01-03" in page
    assert "chatbot ← type chatbot (2 source groups)" in page
    assert "python manage.py export_methodology 1 methodology-v1" in page
    assert f"python manage.py verify_run {run.pk} ANALYTICS_FILE" in page
    assert "python manage.py compute_energy ANALYTICS_FILE --methodology-dir methodology-v1 --region france" in page
    assert "sha256sum ANALYTICS_FILE" in page
    assert "embodied = embodied_kgco2e(m) × 1000 × replica_s" in page
    assert 'href="/runs/methodology.md"' in body and "docs/methodology.md" in page
    assert f'href="/runs/{run.pk}/download.csv"' in body
    # Built for paper: its own stylesheet, no site navigation, a print button.
    assert "css/report.css" in body and 'class="site-nav"' not in body and "data-print" in body
    # The run's region is highlighted among the regions; the others are not.
    assert '<tbody class="param-entry param-entry--used" id="regions-france">' in body
    assert '<tbody class="param-entry" id="regions-germany">' in body
    assert "region of this run" in block(body, "regions-france")


def test_report_totals_per_profile_month_charts_and_equivalents(page_client, make_run):
    run = make_run(days=40)
    response = page_client.get(f"/runs/{run.pk}/report")
    body = response.content.decode()
    page = text(response)
    for key, label in (("energy", "Energy"), ("carbon", r"Carbon, electricity \(usage\), location-based"),
                       ("embodied", "Embodied carbon"), ("carbon_total", "Carbon, electricity and embodied"),
                       ("water", "Water")):
        row = text_of(block(body, f"total-{key}", "tr"))
        # central value, 90 % interval, worst-case low and high, per inference
        assert re.search(rf"{label} [\d.,]+ \w+ [\d.,]+–[\d.,]+ [\d.,]+ [\d.,]+ [\d.,]+ m?\w+ \([\d.,]+–[\d.,]+\)", row), row
    assert "January 2025" in page and "February 2025" in page
    assert block(body, "profiles-table", "table").count('<th scope="row"') == 2
    assert "Distance driven by an average car" in page and "Shower" in page
    daily = chart_data(response, "daily-chart-data")
    assert len(daily["labels"]) == 40
    assert chart_data(response, "tornado-chart-data")["kind"] == "tornado"
    assert 'data-chart-resolution="2"' in body  # sharper canvases for paper


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<" + html)).strip()


def test_report_of_a_version_without_the_extension(page_client, make_run, version_without_extension):
    run = make_run(version=version_without_extension)
    response = page_client.get(f"/runs/{run.pk}/report")
    body = response.content.decode()
    for key in ("embodied", "carbon_total", "water"):
        assert "not assessed by this methodology version" in block(body, f"total-{key}", "tr")
    assert "not assessed" in block(body, "profiles-table", "table")
    # The hypotheses the version lacks are named as such, not as 0.
    france = block(body, "regions-france")
    assert "Water usage effectiveness (WUE)" in france and "not in this version: not assessed" in france
    assert "not in this version: not assessed" in block(body, f"models-{run.profile_results.first().model}")
    assert "python manage.py export_methodology 2 methodology-v2" in text(response)


def test_report_escapes_the_label(page_client, make_run):
    run = make_run(label='<script>alert("x")</script>')
    body = page_client.get(f"/runs/{run.pk}/report").content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_report_in_french(page_client, make_run):
    run = make_run()
    page = text(page_client.get(f"/runs/{run.pk}/report", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Rapport d’audit" in page and "Comment reproduire ces chiffres" in page
    assert "Carbone intrinsèque" in page and "Hypothèses de la version 1 de la méthodologie" in page
    assert "France · intensité carbone (gCO2e/kWh)" in json.dumps(
        chart_data(page_client.get(f"/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="fr"), "tornado-chart-data"),
        ensure_ascii=False)


def test_report_in_french_says_non_evalue(page_client, make_run, version_without_extension):
    run = make_run(version=version_without_extension)
    page = text(page_client.get(f"/runs/{run.pk}/report", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "non évalué par cette version de la méthodologie" in page and "non évalué" in page


def test_report_queries_do_not_grow_with_the_number_of_days(page_client, make_run, django_assert_max_num_queries):
    short, long = make_run(days=3), make_run(days=300, start=date(2024, 1, 1))
    page_client.get(f"/runs/{short.pk}/report")  # warm the per-version caches
    for run in (short, long):
        with django_assert_max_num_queries(8):
            assert page_client.get(f"/runs/{run.pk}/report").status_code == 200


def test_the_methodology_document_is_served_as_text(page_client, methodology_v1):
    response = page_client.get("/runs/methodology.md")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    content = b"".join(response.streaming_content).decode()
    assert content.startswith("# ENV5001 methodology") and "embodied_kgco2e" in content


# --------------------------------------------------------------------------- period view


@pytest.fixture
def quarter(make_run):
    """January, February and March 2025, one run each (uploaded in another order)."""
    march = make_run(start=date(2025, 3, 1), days=31, label="March", inferences=300)
    january = make_run(start=date(2025, 1, 1), days=31, label="January", inferences=100)
    february = make_run(start=date(2025, 2, 1), days=28, label="February", inferences=200)
    return [january, february, march]


def test_history_has_a_period_view_button_for_the_ticked_runs(page_client, make_run):
    make_run()
    body = page_client.get("/runs/").content.decode()
    assert re.search(r'<button type="submit" class="button" id="period-selected" formaction="/runs/periods">', body)


def test_ticked_runs_open_the_period_view(page_client, quarter):
    a, b, c = quarter
    response = page_client.get(f"/runs/periods?run={c.pk}&run={a.pk}&run={b.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/runs/periods?runs={c.pk},{a.pk},{b.pk}&granularity=month"


def test_period_view_per_month_sums_the_runs(page_client, quarter):
    response = page_client.get("/runs/periods?runs=" + ",".join(str(run.pk) for run in quarter))
    assert response.status_code == 200
    page = response.context["page"]
    assert [row["key"] for row in page["rows"]] == ["2025-01", "2025-02", "2025-03"]
    assert [row["label"] for row in page["rows"]] == ["January 2025", "February 2025", "March 2025"]
    energy = numbers.energy_unit(max(run.energy_kwh_value for run in quarter))
    assert page["units"]["energy"] == energy.symbol
    for row, run in zip(page["rows"], quarter):  # one run per month: the month is the run
        assert row["inferences"] == numbers.integer(run.inferences)
        assert row["energy"] == numbers.estimate(run.energy_kwh, energy, with_unit=False)
        assert row["water"]["value"] and row["carbon_total"]["value"]
    total = {bound: sum(run.energy_kwh[bound] for run in quarter) for bound in ("value", "low", "high")}
    assert page["total"]["energy"] == numbers.estimate(total, energy, with_unit=False)
    assert page["total"]["inferences"] == numbers.integer(sum(run.inferences for run in quarter))
    chart = chart_data(response, "period-energy-chart-data")
    assert chart["labels"] == ["Jan 2025", "Feb 2025", "Mar 2025"]
    assert chart["values"][0] == pytest.approx(quarter[0].energy_kwh_value * energy.factor)
    assert len(chart_data(response, "period-carbon-chart-data")["ranges"]) == 3
    body = response.content.decode()
    runs = block(body, "period-runs", "table")
    assert runs.index(f'href="/runs/{quarter[0].pk}/"') < runs.index(f'href="/runs/{quarter[2].pk}/"')
    assert 'id="period-warnings"' not in body  # one version, one region, no gap


def test_period_view_per_quarter(page_client, quarter):
    response = page_client.get("/runs/periods?granularity=quarter&runs=" + ",".join(str(r.pk) for r in quarter))
    rows = response.context["page"]["rows"]
    assert [(row["key"], row["label"]) for row in rows] == [("2025-Q1", "Q1 2025")]
    assert rows[0]["inferences"] == numbers.integer(sum(run.inferences for run in quarter))
    assert "Per quarter" in text(response)
    french = page_client.get("/runs/periods?granularity=quarter&runs=" + ",".join(str(r.pk) for r in quarter),
                             HTTP_ACCEPT_LANGUAGE="fr")
    assert "T1 2025" in text(french) and "Vue par période" in text(french)


def test_period_view_warns_about_mixed_versions_regions_and_gaps(page_client, make_run, version_without_extension):
    january = make_run(start=date(2025, 1, 1), days=31)
    march = make_run(start=date(2025, 3, 1), days=31, version=version_without_extension, region="germany")
    response = page_client.get(f"/runs/periods?runs={january.pk},{march.pk}")
    assert response.status_code == 200
    warnings = text_of(block(response.content.decode(), "period-warnings", "ul"))
    assert "different methodology versions (v1, v2)" in warnings
    assert "different regions (France, Germany)" in warnings
    assert f"No run covers 2025-02-01 → 2025-02-28 (between run #{january.pk} and run #{march.pk})" in warnings
    page = response.context["page"]
    january_row, march_row = page["rows"]
    assert january_row["water"] is not None and march_row["water"] is None
    assert page["total"]["water"] is None and page["total"]["embodied"] is None  # not assessed, not 0
    assert "not assessed" in text_of(block(response.content.decode(), "period-table", "table"))
    assert not page["carbon_chart_total"]  # the chart falls back to electricity carbon


def test_overlapping_runs_are_refused_with_their_names_and_dates(page_client, make_run):
    first = make_run(start=date(2025, 1, 1), days=10, label="first")
    second = make_run(start=date(2025, 1, 8), days=10, label="second")
    response = page_client.get(f"/runs/periods?runs={first.pk},{second.pk}")
    assert response.status_code == 400
    page = text(response)
    assert "These runs overlap" in page
    assert (f"Run #{first.pk} (2025-01-01 → 2025-01-10) and run #{second.pk} (2025-01-08 → 2025-01-17) both cover "
            "2025-01-08 → 2025-01-10.") in page
    body = response.content.decode()
    assert f'href="/runs/periods?runs={second.pk}&amp;granularity=month"' in body  # without the first
    french = text(page_client.get(f"/runs/periods?runs={first.pk},{second.pk}", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Ces calculs se chevauchent" in french and "couvrent tous deux 2025-01-08 → 2025-01-10" in french


def test_period_view_shows_the_runs_carbon_per_scope_category(page_client, quarter):
    response = page_client.get("/runs/periods?runs=" + ",".join(str(run.pk) for run in quarter))
    page = response.context["page"]
    carbon = numbers.carbon_unit(max(run.carbon_total_gco2e_value for run in quarter))
    total = {bound: sum(run.carbon_total_gco2e[bound] for run in quarter) for bound in ("value", "low", "high")}
    # v1 declares no procurement: electricity and embodied carbon together, reported apart as not declared
    [row] = page["scopes"]
    assert row["code"] == "not_declared" and row["market"] is None
    expected = numbers.estimate(total, carbon, with_unit=False)
    assert (row["location"]["value"], row["location"]["worst_case"]) == (expected["value"], expected["range"])
    scopes = text_of(block(response.content.decode(), "period-scopes-table", "table"))
    assert "Scope not declared" in scopes and "not assessed" in scopes
    french = page_client.get("/runs/periods?runs=" + ",".join(str(run.pk) for run in quarter),
                             HTTP_ACCEPT_LANGUAGE="fr")
    assert "Scope non déclaré" in text_of(block(french.content.decode(), "period-scopes-table", "table"))


@pytest.mark.parametrize("query, status, message", [
    ("", 200, "Pick the runs to follow"),
    ("?runs=", 400, "These runs cannot be shown"),
    ("?runs=abc", 400, "separated by commas"),
    ("?runs=1,-2", 400, "separated by commas"),
    ("?runs=99999999999999999999999", 400, "No such run."),
])
def test_period_view_without_usable_runs(page_client, methodology_v1, query, status, message):
    response = page_client.get("/runs/periods" + query)
    assert response.status_code == status
    assert message in text(response)


def test_period_view_of_an_unknown_run_is_404(page_client, make_run):
    run = make_run()
    assert page_client.get(f"/runs/periods?runs={run.pk},999").status_code == 404


def test_period_view_queries_do_not_grow_with_the_number_of_runs(page_client, make_run,
                                                                  django_assert_max_num_queries):
    runs = [make_run(start=date(2024, month, 1), days=28, inferences=100 + month) for month in range(1, 13)]
    for picked in (runs[:2], runs):
        with django_assert_max_num_queries(6):
            response = page_client.get("/runs/periods?runs=" + ",".join(str(run.pk) for run in picked))
        assert response.status_code == 200 and len(response.context["page"]["rows"]) == len(picked)
