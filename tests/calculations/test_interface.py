"""Library mode (calculations.interface.run): every form of `analytics`, and the region and methodology options."""

from __future__ import annotations

import io

import pytest

from calculations.interface import run
from tests.conftest import CONFIG_DIR

CSV = b"date,profile,inferences\n2025-01-01,chatbot,1250\n2025-01-02,completion,75\n"


@pytest.fixture(scope="module")
def from_bytes() -> dict:
    return run(CSV, methodology=str(CONFIG_DIR))


@pytest.mark.parametrize("form", ["text", "binary file", "text file"])
def test_text_and_file_objects_give_the_document_of_the_same_bytes(form, from_bytes):
    analytics = {"text": CSV.decode(), "binary file": io.BytesIO(CSV), "text file": io.StringIO(CSV.decode())}[form]
    document = run(analytics, methodology=str(CONFIG_DIR))
    assert document == from_bytes
    assert document["input"]["bytes"] == len(CSV) and document["totals"]["inferences"] == 1325


@pytest.mark.parametrize("as_str", [False, True], ids=["Path", "str"])
def test_a_path_is_read_and_its_file_name_tells_the_format(tmp_path, as_str, from_bytes):
    path = tmp_path / "january.csv"
    path.write_bytes(CSV)
    document = run(str(path) if as_str else path, methodology=str(CONFIG_DIR))
    assert document["input"] == from_bytes["input"] and document["totals"] == from_bytes["totals"]


def test_a_named_file_object_is_read_whole(tmp_path, from_bytes):
    path = tmp_path / "january.csv"
    path.write_bytes(CSV)
    with path.open("rb") as handle:
        assert run(handle, methodology=str(CONFIG_DIR))["totals"] == from_bytes["totals"]


def test_anything_else_is_a_type_error():
    with pytest.raises(TypeError, match="path, bytes, text or a file object"):
        run(1250, methodology=str(CONFIG_DIR))


def test_the_default_region_is_the_methodology_s(from_bytes, default_parameters):
    assert from_bytes["methodology"]["region"] == default_parameters.default_region


@pytest.mark.parametrize("region", ["germany", "france"])
def test_the_region_option_sets_the_carbon_intensity(region, from_bytes, default_parameters):
    """Energy does not depend on the region's grid; carbon is energy x the region's carbon intensity."""
    document = run(CSV, region=region, methodology=str(CONFIG_DIR))
    energy, carbon = document["totals"]["energy_kwh"], document["totals"]["carbon_gco2e"]
    pue = default_parameters.regions[region].pue.value / default_parameters.regions[from_bytes["methodology"]["region"]].pue.value
    assert document["methodology"]["region"] == region
    assert energy["value"] == pytest.approx(from_bytes["totals"]["energy_kwh"]["value"] * pue, rel=1e-12)
    assert carbon["value"] == pytest.approx(energy["value"] * default_parameters.regions[region].carbon_intensity.value,
                                            rel=1e-12)


def test_the_methodology_option_picks_that_published_version(methodology_v2):
    """Version 2 raised France's carbon intensity from 44 to 60 gCO2e/kWh; asking for version 1 must not
    silently use the latest."""
    v1 = run(CSV, region="france", methodology=1)
    v2 = run(CSV, region="france", methodology=2)
    latest = run(CSV, region="france")
    assert (v1["methodology"]["version"], v2["methodology"]["version"], latest["methodology"]["version"]) == (1, 2, 2)
    assert v1["totals"]["energy_kwh"] == v2["totals"]["energy_kwh"]
    assert v1["totals"]["carbon_gco2e"]["value"] == pytest.approx(v1["totals"]["energy_kwh"]["value"] * 44, rel=1e-12)
    assert v2["totals"]["carbon_gco2e"]["value"] == pytest.approx(v2["totals"]["energy_kwh"]["value"] * 60, rel=1e-12)
    assert latest == v2


def test_an_unknown_version_number_is_refused(methodology_v1):
    from methodology.selectors import VersionNotFound

    with pytest.raises(VersionNotFound):
        run(CSV, methodology=9)
