"""The methodology as the pages show it: a run's region, version tables and changes between versions."""

from __future__ import annotations

from typing import Any, Iterable

from django.utils.translation import gettext as _

from methodology.selectors import version_canonical
from methodology.translations import localized_name

from .labels import (
    CHANGE_LABELS, METRIC_LABELS, METRIC_UNITS, MODEL_EXTENSION_PARAMS, MODEL_PARAMS, PARAM_LABELS, PARAM_UNITS,
    PROFILE_PARAMS, REGION_EXTENSION_PARAMS, REGION_PARAMS, SECTION_LABELS,
)
from .numbers import number, param_text

def region_info(version, code: str) -> dict[str, Any]:
    """A run's region as its methodology version defines it (name, PUE, carbon intensity)."""
    entry = version_canonical(version)["regions"].get(code)
    if entry is None:
        return {"code": code, "name": code, "pue": "", "carbon_intensity": ""}
    return {
        "code": code,
        "name": localized_name(version, "regions", code, entry["name"]),
        "pue": param_text(entry["pue"]),
        "carbon_intensity": param_text(entry["carbon_intensity"], PARAM_UNITS["carbon_intensity"]),
        "pue_value": entry["pue"]["value"],
        "carbon_intensity_value": entry["carbon_intensity"]["value"],
    }


def change_value(value: Any, field: str | None) -> str:
    """One side of a methodology change, for people."""
    if value is None:
        return "—"
    if isinstance(value, dict) and {"value", "low", "high"} <= set(value):
        return param_text(value, PARAM_UNITS.get(field or "", ""))
    if isinstance(value, dict):  # a whole entry, added or removed
        return str(value.get("name", ""))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def changes_rows(changes: Iterable[dict]) -> list[dict[str, str]]:
    return [
        {
            "kind": c["kind"],
            "kind_label": CHANGE_LABELS.get(c["kind"], c["kind"]),
            "section": SECTION_LABELS.get(c["section"], c["section"]),
            "code": c["code"] or "",
            "field": PARAM_LABELS.get(c["field"], c["field"]) if c["field"] else "",
            "old": change_value(c["old"], c["field"]),
            "new": change_value(c["new"], c["field"]),
        }
        for c in changes
    ]


def _parameter_row(name: str, label: str, param: dict[str, float], unit: str) -> dict[str, Any]:
    """One row of a version's table: the value and its range to 6 significant digits."""
    return {
        "name": name,
        "label": label,
        "value": number(param["value"], 6),
        "range": f"{number(param['low'], 6)}–{number(param['high'], 6)}",
        "exact": param["low"] == param["value"] == param["high"],
        "unit": unit,
    }


def version_sections(detail: dict, equivalents: dict | None = None, version=None) -> list[dict]:
    """methodology.serializers.version_detail as tables: one block per entry, one row per parameter;
    `equivalents` is the canonical form's optional section of the same name. Names are `version`'s
    in the active language (translations.py) when it is given."""

    def name(section: str, code: str, english: str, field: str = "name") -> str:
        return english if version is None else localized_name(version, section, code, english, field)

    sections = []
    for key, title, names in (
        ("regions", _("Regions"), REGION_PARAMS + REGION_EXTENSION_PARAMS),
        ("models", _("Model profiles"), MODEL_PARAMS + MODEL_EXTENSION_PARAMS),
        ("profiles", _("Usage profiles"), PROFILE_PARAMS),
    ):
        entries = []
        for code, entry in detail[key].items():
            rows = [
                _parameter_row(name, PARAM_LABELS[name], entry[name], entry[name]["unit"])
                for name in names
                if entry.get(name)  # the optional parameters of methodology.md section 8 may be absent
            ]
            entries.append({
                "code": code,
                "name": name(key, code, entry["name"]),
                "source": entry["source"],
                "model": entry.get("model", ""),
                "aliases": entry.get("aliases", []),
                "rows": rows,
                "is_default": key == "regions" and code == detail["default_region"],
            })
        sections.append({"key": key, "title": title, "entries": entries})
    if equivalents:
        entries = []
        for code, entry in sorted(equivalents.items()):
            amount = entry["amount"]
            entries.append({
                "code": code,
                "name": name("equivalents", code, entry["name"]),
                "source": entry["source"],
                "model": "",
                "aliases": [],
                "is_default": False,
                "rows": [_parameter_row(
                    "amount",
                    _("%(metric)s per %(unit)s") % {
                        "metric": METRIC_LABELS.get(entry["metric"], entry["metric"]),
                        "unit": name("equivalents", code, entry["unit"], "unit")},
                    amount,
                    f"{METRIC_UNITS.get(entry['metric'], '')}/{entry['unit']}",
                )],
            })
        sections.append({"key": "equivalents", "title": _("Equivalents"), "entries": entries})
    return sections

