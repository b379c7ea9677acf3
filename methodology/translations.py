"""The French names of a methodology version: of its regions, model and usage profiles, equivalents
(and their units) and of its label.

A translation is not part of the methodology: the canonical form and the hash hold the English
names only (docs/methodology.md, "Names in two languages"), so published versions keep their hash
and their French names may be completed after publishing (`complete_french_names`). Pages show the
French name when the language is French and the version has one, the English name otherwise.
"""

from __future__ import annotations

from dataclasses import replace

from calculations.engine.parameters import ParameterSet

from .models import Equivalent, MethodologyVersion, ModelProfile, Region, UsageProfile, get_language_code

# Section of the canonical form -> the rows that hold its French names.
SECTIONS = {"regions": Region, "models": ModelProfile, "profiles": UsageProfile, "equivalents": Equivalent}


def is_french() -> bool:
    return get_language_code() == "fr"


def french_names(version: MethodologyVersion) -> dict[str, dict[str, dict[str, str]]]:
    """{section: {code: {"name": …, "unit": …}}} for the rows that have a French name (4 queries,
    kept on the version object for the rest of the request)."""
    cached = getattr(version, "_french_names", None)
    if cached is None:
        cached = {}
        for section, row_model in SECTIONS.items():
            fields = ("code", "name_fr", "unit_fr") if row_model is Equivalent else ("code", "name_fr")
            rows = row_model.objects.filter(version=version).exclude(name_fr="").values(*fields)
            cached[section] = {
                row["code"]: {"name": row["name_fr"], **({"unit": row["unit_fr"]} if row.get("unit_fr") else {})}
                for row in rows
            }
        version._french_names = cached
    return cached


def localized_name(version: MethodologyVersion, section: str, code: str, english: str, field: str = "name") -> str:
    """The entry's `field` ("name", or an equivalent's "unit") in the active language."""
    if not is_french():
        return english
    return french_names(version).get(section, {}).get(code, {}).get(field) or english


def complete_french_names(version: MethodologyVersion, parameters: ParameterSet) -> int:
    """Fill the French names `version` lacks from `parameters` (same methodology, same hash): a
    translation changes no figure, so it may be added to a published version. Returns the rows updated."""
    entries = {"regions": parameters.regions, "models": parameters.models, "profiles": parameters.profiles,
               "equivalents": parameters.equivalents}
    updated = 0
    for section, row_model in SECTIONS.items():
        for code, entry in entries[section].items():
            rows = row_model.objects.filter(version=version, code=code, name=entry.name)
            if entry.name_fr:
                updated += rows.filter(name_fr="").update(name_fr=entry.name_fr)
            if row_model is Equivalent and entry.unit_fr:
                updated += rows.filter(unit_fr="").update(unit_fr=entry.unit_fr)
    return updated


def with_french_names(parameters: ParameterSet, version: MethodologyVersion) -> ParameterSet:
    """`parameters` (a published version's, rebuilt from its snapshot, which holds no translation) with
    the French names of `version`'s rows: what `export_methodology` writes back."""
    names = french_names(version)
    sections = {}
    for section, entries in (("regions", parameters.regions), ("models", parameters.models),
                             ("profiles", parameters.profiles), ("equivalents", parameters.equivalents)):
        sections[section] = {
            code: replace(entry, name_fr=names[section].get(code, {}).get("name", ""),
                          **({"unit_fr": names[section].get(code, {}).get("unit", "")} if section == "equivalents" else {}))
            for code, entry in entries.items()
        }
    return replace(parameters, **sections)
