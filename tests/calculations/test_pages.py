"""The run pages: permissions, contents, upload errors, re-evaluation, comparison, query counts."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pages_testing import chart_data, text

from calculations.models import Run, RunSource

BROKEN_YAML = b"days:\n  - date: 2025-01-01\n    usages:\n      chatbot: 12\n      teleportation: 3\n"


def upload(name: str, content: bytes, content_type: str = "application/yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --------------------------------------------------------------------------- permissions


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/runs/", "/runs/new", "/runs/1/", "/runs/1/download.json", "/runs/1/download.csv",
    "/runs/compare", "/runs/compare?a=1&b=2",
])
def test_anonymous_visitors_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
def test_anonymous_post_to_reevaluate_is_sent_to_login_and_creates_nothing(client, make_run):
    run = make_run()
    response = client.post(f"/runs/{run.pk}/reevaluate", {"version": 1, "region": "germany"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Run.objects.count() == 1


@pytest.mark.django_db
def test_the_home_page_redirects_to_the_runs(page_client):
    response = page_client.get("/")
    assert response.status_code == 302 and response["Location"] == "/runs/"


def test_login_page_renders_its_labelled_form(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_username">' in body and '<label for="id_password">' in body


def test_logging_in_leads_to_the_runs(client, analyst):
    response = client.post(reverse("login"), {"username": "analyst", "password": "analyst-password-1"})
    assert response.status_code == 302 and response["Location"] == "/runs/"


def test_logout_is_a_post_form_in_the_navigation(page_client, methodology_v1):
    body = page_client.get("/runs/").content.decode()
    assert re.search(r'<form class="logout" action="/accounts/logout/" method="post">', body)
    assert page_client.post("/accounts/logout/").status_code == 302
    assert page_client.get("/runs/").status_code == 302


def test_navigation_links_every_section_and_the_admin_only_for_staff(page_client, analyst, methodology_v1):
    body = page_client.get("/runs/").content.decode()
    for href in ('href="/runs/"', 'href="/runs/new"', 'href="/runs/compare"', 'href="/methodology/"',
                 'href="/api/docs"'):
        assert href in body
    assert 'href="/admin/"' not in body
    analyst.is_staff = True
    analyst.save()
    assert 'href="/admin/"' in page_client.get("/runs/").content.decode()


# --------------------------------------------------------------------------- new run


def test_new_run_form_defaults_to_the_latest_version_and_its_default_region(page_client, methodology_v2):
    response = page_client.get("/runs/new")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'<option value="2" selected>v2', body)
    assert '<option value="1">v1' in body
    assert re.search(r'<option value="" selected>Default of the version \(France\)</option>', body)
    assert 'name="analytics_file"' in body and 'enctype="multipart/form-data"' in body
    for field in ("analytics_file", "version", "region", "label", "profile"):
        assert f'<label for="id_{field}">' in body


def test_uploading_the_sample_saves_a_web_run_and_redirects_to_its_page(page_client, analyst, methodology_v1,
                                                                        sample_yaml):
    response = page_client.post("/runs/new", {
        "analytics_file": upload("2025-FluidTopics-daily-analytics.yaml", sample_yaml),
        "version": "1", "region": "germany", "label": "Portal 2025", "profile": "",
    })
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert (run.source, run.region, run.label, run.user) == (RunSource.WEB, "germany", "Portal 2025", analyst)
    assert run.days == 365 and run.input_bytes == len(sample_yaml)
    page = page_client.get(response["Location"])
    assert f"Run #{run.pk} computed and saved." in text(page)


def test_the_form_refuses_a_usage_profile_the_file_does_not_use(page_client, methodology_v1, sample_yaml):
    """Issue 15.4: the profile field is for OpenAI reports without models; with a native file it is refused."""
    response = page_client.post("/runs/new", {
        "analytics_file": upload("2025-FluidTopics-daily-analytics.yaml", sample_yaml),
        "version": "1", "region": "france", "label": "", "profile": "chatbot",
    })
    assert response.status_code == 400 and not Run.objects.exists()
    assert "the profile option &#x27;chatbot&#x27; only names the usage profile" in response.content.decode()


def test_a_parser_error_is_shown_with_its_line_and_key_path_and_the_choices_are_kept(page_client, methodology_v2):
    response = page_client.post("/runs/new", {
        "analytics_file": upload("broken.yaml", BROKEN_YAML),
        "version": "1", "region": "germany", "label": "Kept <label>", "profile": "",
    })
    assert response.status_code == 400
    assert not Run.objects.exists()
    body = response.content.decode()
    errors = body[body.index('id="analytics-errors"'):]
    assert "days[0].usages.teleportation" in errors
    assert "Line 5, column" in errors  # where the unknown profile is
    assert "unknown profile" in errors
    assert "The file was refused: 1 problem" in text(response)
    # The options the person chose are still chosen; the label is escaped.
    assert re.search(r'<option value="1" selected>v1', body)
    assert '<option value="germany" selected>' in body
    assert 'value="Kept &lt;label&gt;"' in body


def test_a_yaml_syntax_error_reports_its_line(page_client, methodology_v1):
    response = page_client.post("/runs/new", {"analytics_file": upload("broken.yaml", b"days: [\n"), "version": "1"})
    assert response.status_code == 400
    assert "not valid YAML" in text(response)


def test_a_missing_file_is_a_field_error(page_client, methodology_v1):
    response = page_client.post("/runs/new", {"version": "1"})
    assert response.status_code == 400
    assert 'id="id_analytics_file_error"' in response.content.decode()


def test_an_empty_file_is_refused(page_client, methodology_v1):
    response = page_client.post("/runs/new", {"analytics_file": upload("empty.yaml", b""), "version": "1"})
    assert response.status_code == 400
    assert not Run.objects.exists()


def test_an_upload_over_the_cap_is_refused_while_reading(page_client, methodology_v1, sample_yaml, settings):
    settings.ANALYTICS_MAX_UPLOAD_BYTES = 1000  # the sample is 52 kB: within the declared slack, over while read
    response = page_client.post("/runs/new", {"analytics_file": upload("big.yaml", sample_yaml), "version": "1"})
    assert response.status_code == 413
    assert "larger than the limit of 1,000 bytes" in text(response)
    assert not Run.objects.exists()


def test_an_upload_declared_over_the_cap_is_refused_before_reading(page_client, methodology_v1, settings):
    settings.ANALYTICS_MAX_UPLOAD_BYTES = 1000
    big = b"#" * (200 * 1024)
    response = page_client.post("/runs/new", {"analytics_file": upload("big.yaml", big), "version": "1"})
    assert response.status_code == 413
    assert "larger than the limit" in text(response)
    assert not Run.objects.exists()


def test_an_unknown_version_is_a_field_error(page_client, methodology_v1, sample_yaml):
    response = page_client.post("/runs/new", {"analytics_file": upload("a.yaml", sample_yaml), "version": "7"})
    assert response.status_code == 400
    assert 'id="id_version_error"' in response.content.decode()


# --------------------------------------------------------------------------- run detail


def test_run_page_shows_totals_with_ranges_per_inference_profiles_months_and_charts(page_client, make_run):
    run = make_run(days=40, label="January–February")
    response = page_client.get(f"/runs/{run.pk}/")
    assert response.status_code == 200
    page = text(response)
    # Headline: "<value> <unit> (<low>–<high>)".
    assert re.search(r"Energy [\d.,]+ (Wh|kWh) \([\d.,]+–[\d.,]+\)", page)
    assert re.search(r"Carbon [\d.,]+ (gCO2e|kgCO2e) \([\d.,]+–[\d.,]+\)", page)
    assert re.search(r"Per inference [\d.,]+ Wh \([\d.,]+–[\d.,]+\) [\d.,]+ gCO2e", page)
    # Per-profile table and monthly table (January and February 2025).
    assert "chatbot" in page and "completion" in page and "llm-large-4xh100" in page
    assert "January 2025" in page and "February 2025" in page
    # Chart data come through json_script: one stacked dataset per profile, one point per day.
    daily = chart_data(response, "daily-chart-data")
    assert [d["label"] for d in daily["datasets"]] == ["chatbot", "completion"]
    assert len(daily["labels"]) == 40 and all(len(d["data"]) == 40 for d in daily["datasets"])
    profiles = chart_data(response, "profile-chart-data")
    assert profiles["labels"] == ["chatbot", "completion"] and len(profiles["ranges"]) == 2
    # Downloads.
    assert f'href="/runs/{run.pk}/download.csv"' in response.content.decode()
    assert f'href="/runs/{run.pk}/download.json"' in response.content.decode()


def test_monthly_totals_add_up_to_the_run_total(page_client, make_run):
    run = make_run(days=59)  # January and February
    response = page_client.get(f"/runs/{run.pk}/")
    months = response.context["page"]["monthly"]
    assert [m["month"] for m in months] == [date(2025, 1, 1), date(2025, 2, 1)]
    inferences = sum(int(m["inferences"].replace(",", "")) for m in months)
    assert inferences == run.inferences


def test_audit_panel_names_version_hashes_region_input_engine_and_author(page_client, make_run, analyst):
    run = make_run()
    body = page_client.get(f"/runs/{run.pk}/").content.decode()
    audit = body[body.index('id="audit"'):]
    assert 'href="/methodology/1/"' in audit
    assert run.methodology_sha256 in audit and run.input_sha256 in audit
    assert "PUE 1.2 (1.09–1.56)" in audit and "44 (21.7–56) gCO2e/kWh" in audit
    assert run.engine_version in audit and "analyst" in audit
    assert "2025-01-01 → 2025-01-03" in audit


def test_run_page_puts_totals_in_everyday_terms_and_names_the_hypotheses_that_matter(page_client, make_run):
    run = make_run(days=30)
    response = page_client.get(f"/runs/{run.pk}/")
    page = text(response)
    assert re.search(r"In everyday terms ≈ [\d.,]+ km \([\d.,]+–[\d.,]+\) Distance driven by an average car", page)
    drivers = response.context["page"]["drivers"]
    assert 0 < len(drivers) <= 6
    assert {d["name"] for d in drivers} & {"efficiency", "decode_tokens_per_s", "carbon_intensity"}
    assert "What moves the result most" in page


def test_mappings_of_a_real_export_are_listed(page_client, make_run):
    run = make_run()
    run.mappings = [{"profile": "chatbot", "rule": "type", "matched": "chatbot", "source_groups": 2}]
    run.save()
    assert "chatbot ← type chatbot (2 source groups)" in text(page_client.get(f"/runs/{run.pk}/"))


def test_per_inference_figures_are_left_out_when_there_is_no_inference(page_client, make_run):
    run = make_run(inferences=0)
    response = page_client.get(f"/runs/{run.pk}/")
    assert response.context["page"]["per_inference"] is None
    assert "No inference in this run." in text(response)


def test_user_text_is_escaped_in_the_page_and_in_chart_data(page_client, make_run):
    run = make_run(label='<script>alert("x")</script>')
    for path in (f"/runs/{run.pk}/", "/runs/"):
        body = page_client.get(path).content.decode()
        assert '<script>alert("x")</script>' not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_a_missing_run_is_404(page_client, methodology_v1):
    assert page_client.get("/runs/999/").status_code == 404


def test_run_page_queries_do_not_grow_with_the_number_of_days(page_client, make_run,
                                                               django_assert_max_num_queries):
    short, long = make_run(days=3), make_run(days=300, start=date(2024, 1, 1))
    page_client.get(f"/runs/{short.pk}/")  # warm the per-version caches
    # 11: the re-evaluation form lists the projects (one query), whatever the number of days
    for run in (short, long):
        with django_assert_max_num_queries(11):
            assert page_client.get(f"/runs/{run.pk}/").status_code == 200


# --------------------------------------------------------------------------- re-evaluation and downloads


def test_reevaluating_under_another_region_saves_a_derived_run(page_client, make_run):
    run = make_run(label="Q1")
    response = page_client.post(f"/runs/{run.pk}/reevaluate", {"version": "1", "region": "germany", "label": ""})
    new = Run.objects.exclude(pk=run.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/runs/{new.pk}/"
    assert (new.region, new.derived_from, new.source, new.label) == ("germany", run, RunSource.REEVALUATION, "Q1")
    assert new.energy_kwh == run.energy_kwh and new.carbon_gco2e_value > run.carbon_gco2e_value
    page = page_client.get(f"/runs/{new.pk}/").content.decode()
    assert f'href="/runs/{run.pk}/"' in page[page.index('id="audit"'):]  # derived-from link
    assert f'href="/runs/{new.pk}/"' in page_client.get(f"/runs/{run.pk}/").content.decode()  # and back


def test_reevaluating_under_another_version(page_client, make_run, methodology_v2):
    run = make_run()
    page_client.post(f"/runs/{run.pk}/reevaluate", {"version": "2", "region": ""})
    new = Run.objects.exclude(pk=run.pk).get()
    assert new.methodology_version == methodology_v2 and new.region == "france"


def test_reevaluate_refuses_unknown_choices_and_shows_the_form_again(page_client, make_run):
    run = make_run()
    response = page_client.post(f"/runs/{run.pk}/reevaluate", {"version": "9", "region": "atlantis"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_version_error"' in body and 'id="id_region_error"' in body
    assert Run.objects.count() == 1


def test_reevaluate_only_accepts_post(page_client, make_run):
    run = make_run()
    assert page_client.get(f"/runs/{run.pk}/reevaluate").status_code == 405


def test_json_download_is_the_result_document_as_an_attachment(page_client, make_run):
    run = make_run(days=2)
    response = page_client.get(f"/runs/{run.pk}/download.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="run-{run.pk}.json"'
    document = json.loads(response.content)
    assert {k: document["totals"]["energy_kwh"][k] for k in ("value", "low", "high")} == run.energy_kwh
    assert document["totals"]["energy_kwh"]["p95"] == run.interval("energy_kwh")["p95"]
    assert len(document["daily"]) == 4 and document["run"]["id"] == run.pk


def test_csv_download_serves_the_daily_cells(page_client, make_run):
    run = make_run(days=2)
    response = page_client.get(f"/runs/{run.pk}/download.csv", follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("date,profile,inferences") and len(lines) == 5


# --------------------------------------------------------------------------- history


def test_history_lists_newest_first_with_totals_chart_and_compare_boxes(page_client, make_run):
    first, second = make_run(label="first"), make_run(label="second", region="germany")
    response = page_client.get("/runs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(f'href="/runs/{second.pk}/"') < body.index(f'href="/runs/{first.pk}/"')
    assert f'name="run" value="{first.pk}"' in body and f'name="run" value="{second.pk}"' in body
    for chart_id in ("history-chart-data", "history-carbon-chart-data"):
        chart = chart_data(response, chart_id)
        assert len(chart["values"]) == 2 and len(chart["ranges"]) == 2
    assert "2 runs" in text(response)


def test_history_filters_by_region_version_label_and_period(page_client, make_run, methodology_v2):
    make_run(label="January france")
    make_run(label="Germany", region="germany")
    make_run(label="June", start=date(2025, 6, 1))
    make_run(label="v2 run", version=methodology_v2)

    def listed(query):
        return [row["run"].label for row in page_client.get("/runs/?" + query).context["table"]["rows"]]

    assert listed("region=germany") == ["Germany"]
    assert listed("version=2") == ["v2 run"]
    assert listed("label=JUNE") == ["June"]
    assert sorted(listed("period_start=2025-05-01")) == ["June"]
    assert sorted(listed("period_end=2025-01-31")) == ["Germany", "January france", "v2 run"]


def test_history_shows_filter_errors_and_ignores_the_invalid_filter(page_client, make_run):
    make_run()
    response = page_client.get("/runs/?period_start=2025-13-40")
    assert response.status_code == 200
    assert 'id="id_period_start_error"' in response.content.decode()
    assert len(response.context["table"]["rows"]) == 1


def test_history_is_paginated_and_keeps_the_filters(page_client, make_run):
    for i in range(23):
        make_run(label=f"run {i}")
    response = page_client.get("/runs/?label=run")
    assert len(response.context["table"]["rows"]) == 20
    assert 'href="?label=run&amp;page=2"' in response.content.decode()
    assert len(page_client.get("/runs/?label=run&page=2").context["table"]["rows"]) == 3


def test_history_without_runs_invites_a_first_upload(page_client, methodology_v1):
    assert "No run yet" in text(page_client.get("/runs/"))


def test_history_queries_do_not_grow_with_the_number_of_runs(page_client, make_run, django_assert_max_num_queries):
    make_run()
    with django_assert_max_num_queries(8):
        page_client.get("/runs/")
    for _ in range(15):
        make_run(days=30)
    with django_assert_max_num_queries(8):
        page_client.get("/runs/")


# --------------------------------------------------------------------------- comparison


def test_ticking_two_runs_opens_their_comparison_older_first(page_client, make_run):
    a, b = make_run(), make_run(region="germany")
    response = page_client.get(f"/runs/compare?run={b.pk}&run={a.pk}")
    assert response.status_code == 302 and response["Location"] == f"/runs/compare?a={a.pk}&b={b.pk}"


def test_ticking_one_run_asks_for_two(page_client, make_run):
    a = make_run()
    response = page_client.get(f"/runs/compare?run={a.pk}", follow=True)
    assert "Tick exactly two runs to compare them." in text(response)


def test_comparison_explains_a_region_change(page_client, make_run):
    a = make_run()
    b = make_run(region="germany")
    response = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}")
    assert response.status_code == 200
    page = text(response)
    assert "The region differs: France" in page and "Germany" in page
    assert "the energy is the same" in page
    assert "+682 %" in page  # 344 / 44 gCO2e/kWh
    chart = chart_data(response, "compare-chart-data")
    assert chart["labels"] == ["chatbot", "completion"] and len(chart["datasets"]) == 2


def test_comparison_draws_the_bridge_as_two_waterfalls_with_a_sentence_per_factor(page_client, make_run):
    a, b = make_run(), make_run(region="germany", days=4)
    response = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}")
    energy, carbon = chart_data(response, "bridge-energy-data"), chart_data(response, "bridge-carbon-data")
    assert energy["kind"] == carbon["kind"] == "waterfall"
    assert energy["labels"][0] == f"Run #{a.pk}" and energy["labels"][-1] == f"Run #{b.pk}"
    assert carbon["steps"][-2][1] == pytest.approx(carbon["steps"][-1][1], rel=1e-9)  # the factors reach B's total
    sentences = response.content.decode().split('id="bridge-sentences"')[1].split("</ul>")[0]
    assert sentences.count("<li>") == 6
    assert "The grid&#x27;s carbon intensity changes carbon by +" in sentences


def test_comparison_draws_the_market_based_waterfall_beside_the_location_based_one(page_client, make_run,
                                                                                 methodology_v1):
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="Market-based factors")
    draft.regions.update(carbon_intensity_market_value=52, carbon_intensity_market_low=40,
                         carbon_intensity_market_high=60)
    market_version = publish_version(draft)
    a, b = make_run(version=market_version), make_run(version=market_version, region="germany", days=4)
    response = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}")
    market = chart_data(response, "bridge-carbon-market-data")
    assert market["kind"] == "waterfall" and market["labels"][-1] == f"Run #{b.pk}"
    assert market["steps"][-1][1] == pytest.approx(b.carbon_market_gco2e_value, rel=1e-9)  # gCO2e at this size
    body = response.content.decode()
    assert "Carbon, market-based, from run A to run B" in body and "Carbon, location-based, from run A" in body
    sentence = body.split('id="bridge-market-sentence">')[1].split("</li>")[0]
    assert sentence.startswith("Market-based carbon changes by +") and "Usage counted" in sentence
    french = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Carbone, fondé sur le marché" in french


def test_comparison_draws_no_market_based_waterfall_when_a_run_does_not_assess_it(page_client, make_run):
    a, b = make_run(), make_run(region="germany", days=4)
    body = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}").content.decode()
    assert 'id="bridge-carbon-market-data"' not in body and 'id="bridge-market-sentence"' not in body


def test_comparison_refuses_the_bridge_by_name_and_shows_the_rest(page_client, make_run, methodology_v1):
    from methodology.services import create_draft, publish_version

    draft = create_draft(methodology_v1, label="No completion")
    draft.usageprofiles.filter(code="completion").delete()
    a, b = make_run(), make_run(version=publish_version(draft), profiles=("chatbot",))
    response = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}")
    assert response.status_code == 200
    page = text(response)
    assert (f"usage profile “completion” of run #{a.pk} does not exist in methodology v2 of run #{b.pk}") in page
    assert 'id="bridge-energy-data"' not in response.content.decode()
    assert chart_data(response, "compare-chart-data")["labels"] == ["chatbot", "completion"]


def test_comparison_lists_the_methodology_parameters_that_changed(page_client, make_run, methodology_v2):
    a, b = make_run(), make_run(version=methodology_v2)
    response = page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}")
    page = text(response)
    assert "The methodology differs: version 1 and version 2; 1 parameter changed" in page
    changes = response.content.decode()
    changes = changes[changes.index('id="methodology-changes"'):]
    assert "france" in changes and "Carbon intensity" in changes
    assert "44 (21.7–56) gCO2e/kWh" in changes and "60 (21.7–60) gCO2e/kWh" in changes
    assert 'href="/methodology/1/diff/2/"' in response.content.decode()


def test_comparison_of_different_inputs_and_periods(page_client, make_run):
    a, b = make_run(days=3), make_run(days=5, start=date(2025, 3, 1))
    page = text(page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}"))
    assert "The counted usage differs" in page and "The periods differ" in page


def test_comparison_of_identical_runs_says_so(page_client, make_run):
    a, b = make_run(), make_run()
    assert "the results are identical" in text(page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}"))


def test_comparison_picker_and_errors(page_client, make_run):
    a = make_run()
    response = page_client.get(f"/runs/compare?a={a.pk}")
    assert response.status_code == 200 and f'<option value="{a.pk}" selected>' in response.content.decode()
    assert page_client.get(f"/runs/compare?a={a.pk}&b={a.pk}").status_code == 400
    assert page_client.get(f"/runs/compare?a={a.pk}&b=999").status_code == 404


@pytest.mark.parametrize("other", ["999999999999999999999999999999", str(2**63), "-1", "0"])
def test_a_comparison_with_a_run_id_beyond_the_database_integers_is_a_400(page_client, make_run, other):
    """An id past bigint's range used to reach the query and fail there (a 500)."""
    a = make_run()
    response = page_client.get(f"/runs/compare?a={a.pk}&b={other}")
    assert response.status_code == 400
    assert response.context["form"].errors["b"]


def test_comparison_queries_are_bounded(page_client, make_run, methodology_v2, django_assert_max_num_queries):
    a, b = make_run(days=200), make_run(days=200, version=methodology_v2, region="germany")
    with django_assert_max_num_queries(8):
        assert page_client.get(f"/runs/compare?a={a.pk}&b={b.pk}").status_code == 200


# --------------------------------------------------------------------------- languages


def test_pages_follow_the_browser_language(page_client, make_run):
    run = make_run()
    response = page_client.get(f"/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "fr"
    page = text(response)
    assert "Énergie" in page and "Réévaluer" in page
    assert '<html lang="fr">' in response.content.decode()


def test_the_language_switcher_sets_french(page_client, make_run):
    run = make_run()
    response = page_client.post("/i18n/setlang/", {"language": "fr", "next": f"/runs/{run.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/runs/{run.pk}/"
    assert "Nouveau calcul" in text(page_client.get("/runs/"))


def test_a_french_run_page_shows_french_equivalents_profiles_region_and_label(page_client, make_run):
    run = make_run(region="germany", profiles=("chatbot", "summary"))
    page = text(page_client.get(f"/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="fr"))
    assert "douches" in page and "showers" not in page and "Shower" not in page
    assert "Recharge complète d’un smartphone" in page or "recharges" in page
    assert "Distance parcourue par une voiture moyenne" in page
    assert "Réponse de chatbot" in page and "Résumé" in page and "Chatbot answer" not in page
    assert "Allemagne" in page and "Germany" not in page
    assert "Chargée depuis config" in page and "Loaded from config" not in page


def test_the_english_run_page_keeps_the_english_names(page_client, make_run):
    run = make_run(region="germany")
    page = text(page_client.get(f"/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "showers" in page and "Chatbot answer" in page and "Germany" in page and "douches" not in page


def test_the_french_new_run_form_lists_french_region_names(page_client, methodology_v1):
    page = page_client.get("/runs/new", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Allemagne (germany)<" in page and "États-Unis (usa)" in page


def test_a_french_upload_page_words_the_parser_refusal_in_french(page_client, methodology_v1):
    response = page_client.post("/runs/new", {"analytics_file": upload("broken.yaml", BROKEN_YAML), "version": "1"},
                                HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    page = text(response)
    assert "profil inconnu &#x27;teleportation&#x27; (profils inconnus : teleportation ; profils connus : chatbot," in page
    assert "unknown profile" not in page
