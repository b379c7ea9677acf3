"""calculations.services, called directly: evaluate, save, re-evaluate and verify a run.

Every figure is checked against the engine's own result document (calculations.interface.run on
config/, the YAML methodology v1 is published from)."""

from __future__ import annotations

import pytest

from calculations import selectors, services, versioning
from calculations.engine import ENGINE_VERSION
from calculations.engine.analytics import AnalyticsError
from calculations.interface import run as engine_document
from calculations.models import Run, RunSource
from tests.conftest import CONFIG_DIR


@pytest.fixture
def saved_run(methodology_v1, analyst, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml, region="france")
    return services.save_run(evaluation, user=analyst, source=RunSource.API, label="sample")


def test_evaluate_upload_gives_the_engine_s_document(methodology_v1, sample_yaml):
    document = services.evaluate_upload(sample_yaml, region="germany").document()
    expected = engine_document(sample_yaml, region="germany", methodology=CONFIG_DIR)
    assert document["methodology"] == {**expected["methodology"], "version": 1}  # the files have no number
    assert {key: value for key, value in document.items() if key != "methodology"} == {
        key: value for key, value in expected.items() if key != "methodology"}


def test_evaluate_upload_uses_the_version_s_default_region_when_none_is_given(methodology_v1, sample_yaml):
    evaluation = services.evaluate_upload(sample_yaml)
    assert evaluation.document()["methodology"]["region"] == evaluation.parameters.default_region


def test_evaluate_upload_refuses_an_unknown_region_naming_the_field(methodology_v1, sample_yaml):
    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, region="atlantis")
    assert refused.value.field == "region" and "atlantis" in str(refused.value)


def test_evaluate_upload_refuses_an_unpublished_version_naming_the_field(methodology_v1, sample_yaml):
    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, version_number=7)
    assert refused.value.field == "version"


def test_save_run_stores_the_document_s_totals_profiles_and_daily_cells(saved_run, sample_yaml):
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)
    stored = selectors.run_document(saved_run)
    assert stored["totals"] == expected["totals"]
    assert stored["profiles"] == expected["profiles"]
    assert stored["daily"] == expected["daily"]


def test_save_run_keeps_the_input_s_hash_size_and_period_not_its_content(saved_run, sample_yaml):
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)["input"]
    assert (saved_run.input_sha256, saved_run.input_bytes) == (expected["sha256"], len(sample_yaml))
    assert (saved_run.first_day.isoformat(), saved_run.last_day.isoformat()) == (expected["first_day"],
                                                                               expected["last_day"])


def test_reevaluate_run_recomputes_the_stored_counts_under_another_region(saved_run, analyst, sample_yaml):
    new_run = services.reevaluate_run(saved_run, user=analyst, region="germany")
    expected = engine_document(sample_yaml, region="germany", methodology=CONFIG_DIR)
    assert new_run.derived_from == saved_run and new_run.source == RunSource.REEVALUATION
    assert selectors.run_document(new_run, include_daily=False)["totals"] == expected["totals"]


def test_reevaluate_run_refuses_an_unknown_region_and_saves_nothing(saved_run, analyst):
    with pytest.raises(services.InvalidOption):
        services.reevaluate_run(saved_run, user=analyst, region="atlantis")
    assert Run.objects.count() == 1


def test_verify_run_reproduces_a_run_from_its_file(saved_run, sample_yaml):
    checks = services.verify_run(saved_run, sample_yaml)
    assert checks and all(check.matches for check in checks)


def test_verify_run_shows_token_counts_as_whole_numbers_on_both_sides(saved_run, sample_yaml):
    checks = {check.field: check for check in services.verify_run(saved_run, sample_yaml)}
    expected = engine_document(sample_yaml, region="france", methodology=CONFIG_DIR)["totals"]["input_tokens"]
    check = checks["totals.input_tokens"]
    assert (check.stored, check.recomputed) == (expected, expected)
    assert type(check.stored) is type(check.recomputed) is int


def test_verify_run_reports_a_mismatch_for_other_analytics(saved_run, sample_yaml):
    other = sample_yaml.replace(b"2025-01-01", b"2025-01-01", 1) + b"\n# another file\n"
    checks = {check.field: check for check in services.verify_run(saved_run, other)}
    assert not checks["input.sha256"].matches
    assert checks["totals.inferences"].matches  # same counts: only the bytes differ


# --------------------------------------------------------------------------- audit records (issue 21)

CSV = b"date,profile,inferences\n2025-01-01,chatbot,1250\n2025-01-02,completion,75\n"


@pytest.fixture
def commit(monkeypatch):
    """The engine version as a deployment sets it: the package version plus the commit it runs."""
    monkeypatch.setenv("ENV5001_GIT_COMMIT", "0123456789ab")
    versioning.engine_version.cache_clear()
    yield "0123456789ab"
    versioning.engine_version.cache_clear()


@pytest.fixture
def csv_run(methodology_v1, analyst):
    evaluation = services.evaluate_upload(CSV, version_number=1, region="germany", filename="a.csv")
    return services.save_run(evaluation, user=analyst, source=RunSource.API, label="Q1")


def test_the_engine_version_names_the_package_version_and_the_commit(commit):
    assert versioning.engine_version() == f"{ENGINE_VERSION}+{commit}"


def test_a_csv_run_records_the_engine_version_it_was_computed_with(commit, csv_run):
    assert Run.objects.get(pk=csv_run.pk).engine_version == f"{ENGINE_VERSION}+{commit}"


def test_a_reevaluated_run_records_the_engine_version_too(commit, csv_run, analyst):
    again = services.reevaluate_run(csv_run, user=analyst, region="france")
    assert again.engine_version == f"{ENGINE_VERSION}+{commit}"


def test_verify_run_reproduces_an_unchanged_run(csv_run):
    checks = services.verify_run(csv_run, CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == []


def test_verify_run_flags_a_run_whose_methodology_hash_differs(csv_run):
    """A run recorded under other hypotheses than the version's (the hash tells) is not reproduced, even when
    the numbers happen to agree."""
    Run.objects.filter(pk=csv_run.pk).update(methodology_sha256="0" * 64)
    checks = services.verify_run(Run.objects.get(pk=csv_run.pk), CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == ["methodology.sha256"]


def test_verify_run_compares_every_total_and_bound(csv_run):
    fields = {check.field for check in services.verify_run(csv_run, CSV, filename="a.csv")}
    assert {f"totals.{name}.{bound}" for name in ("energy_kwh", "carbon_gco2e")
            for bound in ("value", "low", "high")} <= fields
    assert {"input.sha256", "input.bytes", "input.first_day", "input.last_day", "methodology.sha256"} <= fields


def test_verify_run_flags_a_changed_total(csv_run):
    Run.objects.filter(pk=csv_run.pk).update(energy_kwh_high=csv_run.energy_kwh_high * 2)
    checks = services.verify_run(Run.objects.get(pk=csv_run.pk), CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == ["totals.energy_kwh.high"]


# --------------------------------------------------------------------------- re-evaluation keeps what it is not told to change

TOKENS_CSV = (b"date,profile,inferences,input_tokens,output_tokens\n"
              b"2025-01-02,summary,40,90000,7000\n2025-01-01,completion,75,20000,3000\n2025-01-01,chatbot,1250,,\n")
OPENAI_WITHOUT_MODELS = (b'{"object": "page", "has_more": false, "data": [{"start_time": 1735689600, "end_time": 1735776000,'
                         b' "results": [{"object": "organization.usage.completions.result", "num_model_requests": 12,'
                         b' "input_tokens": 3400, "output_tokens": 900}]}]}')


@pytest.fixture
def tokens_run(methodology_v1, analyst):
    evaluation = services.evaluate_upload(TOKENS_CSV, version_number=1, region="germany", filename="t.csv")
    return services.save_run(evaluation, user=analyst, source=RunSource.API, label="with tokens")


def test_stored_cells_give_the_run_s_counts_and_explicit_tokens_sorted_by_day_then_profile(tokens_run):
    cells = services.stored_cells(tokens_run)
    assert [(c.day.isoformat(), c.profile, c.inferences, c.input_tokens, c.output_tokens) for c in cells] == [
        ("2025-01-01", "chatbot", 1250, None, None),
        ("2025-01-01", "completion", 75, 20000, 3000),
        ("2025-01-02", "summary", 40, 90000, 7000),
    ]


def test_stored_cells_of_a_run_without_daily_rows_are_empty_columns(tokens_run):
    tokens_run.daily_results.all()._raw_delete(tokens_run.daily_results.db)  # a run whose rows were never stored
    assert services.stored_cells(tokens_run).columns() == ([], [], [], [], [])


def test_reevaluating_under_the_same_version_and_region_reproduces_explicit_tokens(tokens_run, analyst):
    again = services.reevaluate_run(tokens_run, user=analyst)
    fields = ("input_tokens", "output_tokens", "inferences", "energy_kwh_value", "carbon_gco2e_value",
              "energy_kwh_low", "carbon_gco2e_high", "counts_sha256")
    assert [getattr(again, f) for f in fields] == [getattr(tokens_run, f) for f in fields]


def test_reevaluate_run_keeps_the_original_s_version_region_and_label_when_none_is_given(tokens_run, analyst,
                                                                                          methodology_v2):
    again = services.reevaluate_run(tokens_run, user=analyst)
    assert (again.methodology_version.number, again.region, again.label) == (1, "germany", "with tokens")


def test_reevaluate_run_takes_the_version_region_and_label_it_is_given(tokens_run, analyst, methodology_v2):
    again = services.reevaluate_run(tokens_run, user=analyst, version_number=2, region="france", label="v2 France")
    assert (again.methodology_version.number, again.region, again.label) == (2, "france", "v2 France")


def test_a_reevaluated_run_belongs_to_the_user_who_asked_for_it(tokens_run, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", password="x-unused-x")
    assert services.reevaluate_run(tokens_run, user=colleague).user == colleague


def test_reevaluate_run_keeps_the_input_s_description(methodology_v1, analyst):
    evaluation = services.evaluate_upload(OPENAI_WITHOUT_MODELS, region="france", profile="chatbot", filename="u.json")
    original = services.save_run(evaluation, user=analyst, source=RunSource.API, profile_option="chatbot")
    again = services.reevaluate_run(original, user=analyst, region="germany")
    fields = ("input_sha256", "input_bytes", "input_format", "first_day", "last_day", "days", "mappings",
              "profile_option")
    assert [getattr(again, f) for f in fields] == [getattr(original, f) for f in fields]
    assert again.input_format == "openai-usage" and again.profile_option == "chatbot" and again.mappings


def test_reevaluate_run_refuses_a_version_without_some_of_its_profiles_naming_them(tokens_run, analyst):
    from methodology.services import create_draft, publish_version

    draft = create_draft(tokens_run.methodology_version, label="no summaries")
    draft.usageprofiles.filter(code__in=["summary", "completion"]).delete()
    publish_version(draft)
    with pytest.raises(services.InvalidOption) as refused:
        services.reevaluate_run(tokens_run, user=analyst, version_number=2)
    assert refused.value.field == "version"
    assert str(refused.value) == ("Methodology v2 has no usage profile completion, summary; the run cannot be "
                                  "re-evaluated under it.")
    assert Run.objects.count() == 1


# --------------------------------------------------------------------------- verify_run: every check, its two sides

CSV_OTHER_PROFILES = b"date,profile,inferences\n2025-01-01,chatbot,1250\n2025-01-02,summary,75\n"


def expected_checks(run: Run, data: bytes, filename: str) -> dict:
    """field -> (stored, recomputed), built from the run's columns and a fresh evaluation of `data`."""
    evaluation = services.evaluate_upload(data, version_number=1, region=run.region, filename=filename)
    summary, totals = evaluation.summary, evaluation.result.totals
    checks = {
        "input.sha256": (run.input_sha256, summary.sha256), "input.bytes": (run.input_bytes, summary.size_bytes),
        "input.first_day": (run.first_day, summary.first_day), "input.last_day": (run.last_day, summary.last_day),
        "methodology.sha256": (run.methodology_sha256, evaluation.parameters.sha256),
        "totals.inferences": (run.inferences, totals.inferences),
        "totals.input_tokens": (int(run.input_tokens), totals.input_tokens),
        "totals.output_tokens": (int(run.output_tokens), totals.output_tokens),
    }
    for name in ("energy_kwh", "carbon_gco2e"):
        for bound in ("value", "low", "high"):
            checks[f"totals.{name}.{bound}"] = (getattr(run, f"{name}_{bound}"), getattr(getattr(totals, name), bound))
    stored = {p.profile: p for p in run.profile_results.all()}
    for profile in evaluation.result.profiles:
        for name in ("energy_kwh", "carbon_gco2e"):
            checks[f"profiles.{profile.profile}.{name}.value"] = (
                getattr(stored.get(profile.profile), f"{name}_value", None), getattr(profile, name).value)
    for code in set(stored) - {p.profile for p in evaluation.result.profiles}:
        checks[f"profiles.{code}"] = ("present", None)
    for name in ("energy_kwh", "carbon_gco2e"):
        for key in ("p5", "p50", "p95", "mean"):
            checks[f"totals.{name}.{key}"] = (run.uncertainty["totals"][name][key],
                                              getattr(evaluation.uncertainty.totals[name], key))
    return checks


def test_verify_run_gives_every_check_with_the_stored_and_the_recomputed_value(csv_run):
    checks = services.verify_run(csv_run, CSV, filename="a.csv")
    assert {c.field: (c.stored, c.recomputed) for c in checks} == expected_checks(csv_run, CSV, "a.csv")
    assert len(checks) == len(expected_checks(csv_run, CSV, "a.csv")) == 26 and all(c.matches for c in checks)


def test_verify_run_flags_a_profile_the_file_adds_and_one_it_lacks(csv_run):
    checks = {c.field: c for c in services.verify_run(csv_run, CSV_OTHER_PROFILES, filename="b.csv")}
    assert {f: (c.stored, c.recomputed) for f, c in checks.items()} == expected_checks(csv_run, CSV_OTHER_PROFILES,
                                                                                       "b.csv")
    assert (checks["profiles.completion"].stored, checks["profiles.completion"].recomputed) == ("present", None)
    assert checks["profiles.summary.energy_kwh.value"].stored is None
    assert not checks["profiles.summary.energy_kwh.value"].matches and checks["profiles.chatbot.energy_kwh.value"].matches


def test_verify_run_of_a_run_saved_before_the_monte_carlo_checks_no_interval(csv_run):
    Run.objects.filter(pk=csv_run.pk).update(uncertainty=None)
    checks = services.verify_run(Run.objects.get(pk=csv_run.pk), CSV, filename="a.csv")
    assert checks and not [c.field for c in checks if c.field.endswith(("p5", "p50", "p95", "mean"))]
    assert all(c.matches for c in checks)


def test_verify_run_redoes_the_monte_carlo_with_the_run_s_own_draws(methodology_v1, analyst, settings):
    settings.UNCERTAINTY_DRAWS = 500
    run = services.save_run(services.evaluate_upload(CSV, region="germany", filename="a.csv"), user=analyst,
                            source=RunSource.API)
    settings.UNCERTAINTY_DRAWS = 800  # today's setting differs from the run's
    checks = {c.field: c for c in services.verify_run(run, CSV, filename="a.csv")}
    intervals = [checks[f"totals.{n}.{k}"] for n in ("energy_kwh", "carbon_gco2e") for k in ("p5", "p50", "p95", "mean")]
    assert all(c.matches for c in intervals)
    assert intervals[0].stored == run.uncertainty["totals"]["energy_kwh"]["p5"]


def test_verify_run_recomputes_under_the_run_s_own_version_not_the_latest(csv_run, methodology_v2):
    checks = services.verify_run(csv_run, CSV, filename="a.csv")
    assert [check.field for check in checks if not check.matches] == []


def test_verify_run_reads_a_report_without_models_with_the_run_s_profile_option(methodology_v1, analyst):
    evaluation = services.evaluate_upload(OPENAI_WITHOUT_MODELS, region="france", profile="chatbot", filename="u.json")
    run = services.save_run(evaluation, user=analyst, source=RunSource.API, profile_option="chatbot")
    checks = services.verify_run(run, OPENAI_WITHOUT_MODELS, filename="u.json")
    assert checks and [check.field for check in checks if not check.matches] == []


def test_verify_run_reads_the_file_as_its_name_says_like_the_upload(csv_run):
    """Named .yaml, the CSV text is read as YAML (one string, refused), as an upload of that name would be."""
    with pytest.raises(AnalyticsError):
        services.verify_run(csv_run, CSV, filename="a.yaml")
    assert all(check.matches for check in services.verify_run(csv_run, CSV, filename="a.csv"))


def test_verify_run_redoes_the_monte_carlo_with_the_run_s_own_seed(csv_run):
    """A run recorded under another seed (the project's SEED changed since) is checked against its own seed."""
    from calculations.engine.uncertainty import SEED, simulate

    evaluation = services.evaluate_upload(CSV, version_number=1, region="germany", filename="a.csv")
    other = simulate(evaluation.result.cells.cells, evaluation.parameters, evaluation.result, draws=500, seed=SEED + 1)
    Run.objects.filter(pk=csv_run.pk).update(uncertainty=other.as_dict())
    checks = {c.field: c for c in services.verify_run(Run.objects.get(pk=csv_run.pk), CSV, filename="a.csv")}
    assert checks["totals.energy_kwh.p5"].stored == other.totals["energy_kwh"].p5
    assert all(checks[f"totals.{n}.{k}"].matches for n in ("energy_kwh", "carbon_gco2e") for k in ("p5", "p50", "p95", "mean"))


# --------------------------------------------------------------------------- a version without section 6's parameters

def test_a_run_under_a_version_without_water_and_embodied_carbon_stores_them_as_not_assessed(methodology_v1, analyst):
    import dataclasses

    from methodology.selectors import parameter_set_for
    from methodology.services import create_version_from_parameters, publish_version

    parameters = parameter_set_for(methodology_v1)
    older = dataclasses.replace(
        parameters, equivalents={}, _alias_index={},
        regions={c: dataclasses.replace(r, wue=None, water_intensity=None) for c, r in parameters.regions.items()},
        models={c: dataclasses.replace(m, embodied_kgco2e=None, lifetime_years=None) for c, m in parameters.models.items()})
    version = publish_version(create_version_from_parameters(older, label="Electricity only"))
    run = services.save_run(services.evaluate_upload(CSV, version_number=version.number, region="germany"),
                            user=analyst, source=RunSource.API)
    not_assessed = [f"{name}_{bound}" for name in ("embodied_gco2e", "carbon_total_gco2e", "water_l")
                    for bound in ("value", "low", "high")]
    for rows in (run.profile_results.all(), run.daily_results.all()):
        assert rows and all(getattr(row, column) is None for row in rows for column in not_assessed)
        assert all(row.energy_kwh_value > 0 and row.carbon_gco2e_value > 0 for row in rows)


def test_an_evaluation_draws_as_many_monte_carlo_samples_as_the_setting_says(methodology_v1, settings):
    settings.UNCERTAINTY_DRAWS = 500
    assert services.evaluate_upload(CSV, region="germany", filename="a.csv").uncertainty.draws == 500


# --------------------------------------------------------------------------- evaluate_upload: options and refusals, worded

def test_an_unpublished_version_is_refused_with_the_selector_s_message(methodology_v1, sample_yaml):
    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, version_number=7)
    assert str(refused.value) == "No published methodology version 7."


def test_an_unknown_region_is_refused_naming_the_version_and_the_known_regions(methodology_v1, sample_yaml):
    from methodology.selectors import parameter_set_for

    with pytest.raises(services.InvalidOption) as refused:
        services.evaluate_upload(sample_yaml, region="atlantis")
    known = sorted(parameter_set_for(methodology_v1).regions)
    assert len(known) > 1
    assert str(refused.value) == f"Unknown region 'atlantis' in methodology v1; known: {', '.join(known)}."


def test_evaluate_upload_reads_the_body_as_its_declared_content_type(methodology_v1):
    """CSV text declared as YAML is read as YAML (one string: refused), as the API reads a raw body."""
    with pytest.raises(AnalyticsError):
        services.evaluate_upload(CSV, region="germany", content_type="application/yaml")
    assert services.evaluate_upload(CSV, region="germany", content_type="text/csv").result.totals.inferences == 1325


def test_evaluate_upload_refuses_a_workbook_unpacking_above_the_upload_cap(methodology_v1, settings):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["date", "profile", "inferences"])
    book.active.append(["2025-01-01", "chatbot", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    settings.ANALYTICS_MAX_UPLOAD_BYTES = len(buffer.getvalue()) + 100  # the file fits, its unpacked parts do not
    with pytest.raises(AnalyticsError) as refused:
        services.evaluate_upload(buffer.getvalue(), region="germany", filename="a.xlsx")
    assert refused.value.code == "too_large"
