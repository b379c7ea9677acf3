"""load_methodology and export_methodology: the config files and the database hold the same methodology."""

import pytest
from django.core.management import CommandError
from methodology_testing import CONFIG_DIR, command_output

from calculations.engine.config import load_config_dir
from methodology.models import MethodologyVersion


def test_load_methodology_publishes_version_1_with_the_files_hash(db):
    output = command_output("load_methodology", str(CONFIG_DIR))
    version = MethodologyVersion.objects.get()
    assert version.number == 1 and version.is_published
    assert version.sha256 == load_config_dir(CONFIG_DIR).sha256
    assert "Published methodology v1" in output


def test_loading_the_same_files_twice_does_nothing_the_second_time(version_1):
    output = command_output("load_methodology", str(CONFIG_DIR))
    assert "nothing to do" in output
    assert MethodologyVersion.objects.count() == 1


def test_export_then_load_gives_the_same_hash_and_nothing_to_do(version_1, tmp_path):
    command_output("export_methodology", "1", str(tmp_path))
    assert {path.name for path in tmp_path.iterdir()} == {"config.yaml", "config_model.yaml"}
    assert load_config_dir(tmp_path).sha256 == version_1.sha256
    assert "nothing to do" in command_output("load_methodology", str(tmp_path))
    assert MethodologyVersion.objects.count() == 1


def test_an_exported_version_with_a_change_loads_as_the_next_version(version_1, publish_carbon_intensity, tmp_path):
    v2 = publish_carbon_intensity(version_1, 50)
    command_output("export_methodology", "2", str(tmp_path))
    exported = load_config_dir(tmp_path)
    assert exported.sha256 == v2.sha256
    assert exported.regions["france"].carbon_intensity.value == 50


def test_loading_an_invalid_directory_is_refused_and_leaves_no_draft(db, tmp_path):
    (tmp_path / "config.yaml").write_text("default_region: [france]\nregions: {}\n")
    (tmp_path / "config_model.yaml").write_text("models: {}\nprofiles: {}\n")
    with pytest.raises(CommandError, match="default_region"):
        command_output("load_methodology", str(tmp_path))
    assert not MethodologyVersion.objects.exists()


def test_exporting_an_unknown_version_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No published methodology version 7"):
        command_output("export_methodology", "7", str(tmp_path))
