"""Loading the shipped version 2 where version 1 is published: a new version beside it, nothing old changes."""

from methodology_testing import SHIPPED_CONFIG_DIR, command_output

from calculations.engine.config import load_config_dir
from methodology.models import MethodologyVersion


def _rows(version):
    return (version.sha256, version.is_published,
            sorted(version.regions.values_list("code", "carbon_intensity_value", "pue_value")),
            sorted(version.modelprofiles.values_list("code", "efficiency_value")),
            sorted(version.usageprofiles.values_list("code", "input_tokens_value", "output_tokens_value")))


def test_loading_version_2_publishes_it_beside_version_1_with_the_files_hash(version_1):
    output = command_output("load_methodology", str(SHIPPED_CONFIG_DIR))
    version_2 = MethodologyVersion.objects.get(number=2)
    assert "Published methodology v2" in output
    assert version_2.is_published and version_2.sha256 == load_config_dir(SHIPPED_CONFIG_DIR).sha256
    assert {"netherlands", "us-pjm", "world"} <= set(version_2.regions.values_list("code", flat=True))


def test_loading_version_2_leaves_version_1_as_it_was(version_1):
    before = _rows(version_1)
    command_output("load_methodology", str(SHIPPED_CONFIG_DIR))
    assert _rows(MethodologyVersion.objects.get(number=1)) == before


def test_a_run_saved_on_version_1_keeps_its_version_and_figures(version_1, make_run):
    run = make_run(version_1)
    before = (run.methodology_version_id, run.methodology_sha256, run.energy_kwh_value, run.carbon_gco2e_value)
    command_output("load_methodology", str(SHIPPED_CONFIG_DIR))
    run.refresh_from_db()
    assert (run.methodology_version_id, run.methodology_sha256, run.energy_kwh_value, run.carbon_gco2e_value) == before
    assert run.methodology_version.number == 1


def test_loading_version_2_twice_does_nothing_the_second_time(version_1):
    command_output("load_methodology", str(SHIPPED_CONFIG_DIR))
    assert "nothing to do" in command_output("load_methodology", str(SHIPPED_CONFIG_DIR))
    assert MethodologyVersion.objects.count() == 2
