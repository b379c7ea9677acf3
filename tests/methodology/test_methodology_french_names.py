"""Names in two languages: a version's French names, their defaults, the hash that ignores them."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from django.utils import translation

from calculations.engine.config import load_config_dir
from methodology.models import Equivalent, ImmutableVersionError, Region, UsageProfile
from methodology.services import PublishError, create_draft, load_methodology, publish_version
from methodology.translations import localized_name
from methodology_testing import CONFIG_DIR


def test_default_config_carries_french_names():
    parameters = load_config_dir(CONFIG_DIR)
    assert parameters.regions["germany"].name_fr == "Allemagne"
    assert parameters.profiles["chatbot"].name_fr == "Réponse de chatbot"
    assert (parameters.equivalents["shower"].name_fr, parameters.equivalents["shower"].unit_fr) == ("Douche", "douches")


def test_french_names_leave_the_hash_unchanged(tmp_path):
    parameters = load_config_dir(CONFIG_DIR)
    for name in ("config.yaml", "config_model.yaml"):
        text = (CONFIG_DIR / name).read_text(encoding="utf-8")
        kept = [line for line in text.splitlines(keepends=True) if "name_fr:" not in line and "unit_fr:" not in line]
        (tmp_path / name).write_text("".join(kept), encoding="utf-8")
    english_only = load_config_dir(tmp_path)
    assert english_only.regions["germany"].name_fr == ""
    assert english_only.sha256 == parameters.sha256


def test_loading_the_same_methodology_completes_the_published_french_names(methodology_v1):
    Region.objects.filter(version=methodology_v1, code="germany").update(name_fr="")
    version, created = load_methodology(CONFIG_DIR)
    assert (version, created) == (methodology_v1, False)
    assert Region.objects.get(version=methodology_v1, code="germany").name_fr == "Allemagne"


def test_a_published_version_keeps_its_numbers_immutable_while_names_are_translated(methodology_v1):
    with pytest.raises(ImmutableVersionError):
        Region.objects.filter(version=methodology_v1).update(name_fr="x", pue_value=2)


def test_localized_name_is_french_on_french_pages_only(methodology_v1):
    with translation.override("fr"):
        assert localized_name(methodology_v1, "profiles", "chatbot", "Chatbot answer") == "Réponse de chatbot"
    with translation.override("en"):
        assert localized_name(methodology_v1, "profiles", "chatbot", "Chatbot answer") == "Chatbot answer"


def test_an_entry_without_french_name_shows_its_english_name_in_french(methodology_v1):
    draft = create_draft(methodology_v1)
    UsageProfile.objects.filter(version=draft, code="summary").update(name_fr="")
    with translation.override("fr"):
        assert localized_name(draft, "profiles", "summary", "Summary") == "Summary"


def test_a_draft_that_only_translates_is_identical_to_its_parent(methodology_v1):
    draft = create_draft(methodology_v1)
    UsageProfile.objects.filter(version=draft, code="summary").update(name_fr="Synthèse")
    with pytest.raises(PublishError, match="identical"):
        publish_version(draft)


def test_export_writes_the_french_names_back(methodology_v1, tmp_path):
    call_command("export_methodology", "1", str(tmp_path), stdout=open("/dev/null", "w"))
    regions = yaml.safe_load((tmp_path / "config.yaml").read_text(encoding="utf-8"))
    assert regions["regions"]["usa"]["name_fr"] == "États-Unis"
    assert regions["equivalents"]["smartphone-charge"]["unit_fr"] == "recharges"
    assert load_config_dir(tmp_path).sha256 == methodology_v1.sha256


def test_a_draft_copies_the_french_names_and_label(methodology_v1):
    draft = create_draft(methodology_v1)
    assert Equivalent.objects.get(version=draft, code="shower").unit_fr == "douches"
    assert draft.label_fr == "Chargée depuis config"
    with translation.override("fr"):
        assert draft.display_label == "Chargée depuis config"
    with translation.override("en"):
        assert draft.display_label == "Loaded from config"
