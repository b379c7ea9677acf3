"""Reading, validating and writing a methodology as the two config files.

`config.yaml` holds the regions and the default region; `config_model.yaml`
holds model profiles and usage profiles (docs/methodology.md section 7 lists the defaults). The same
validation serves the files, the database bridge and the admin's publish.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .catalogue import all_or_none, hypothesis, names, optional_alone
from .numbers import whole_number
from .scope import PROCUREMENTS
from .parameters import (
    MODEL_EXTENSION_PARAMS,
    MODEL_PARAMS,
    PROFILE_PARAMS,
    REGION_EXTENSION_PARAMS,
    REGION_PARAMS,
    EQUIVALENT_METRICS,
    Equivalent,
    ModelProfile,
    Param,
    ParameterSet,
    Region,
    UsageProfile,
)

REGIONS_FILE = "config.yaml"
MODELS_FILE = "config_model.yaml"

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class ConfigIssue:
    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.reason}"


class ConfigError(ValueError):
    """An invalid methodology; `issues` says where and why."""

    def __init__(self, issues: list[ConfigIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


class _Collector:
    def __init__(self) -> None:
        self.issues: list[ConfigIssue] = []

    def add(self, file: str, path: str, reason: str) -> None:
        self.issues.append(ConfigIssue(file, path, reason))


def _is_number(raw: Any) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def _read_param(raw: Any, name: str, file: str, path: str, errors: _Collector) -> Param | None:
    if isinstance(raw, dict):
        unknown = set(raw) - {"value", "low", "high"}
        if unknown:
            errors.add(file, path, f"unknown keys {sorted(unknown)}; a range is {{value, low, high}}")
            return None
        if "value" not in raw:
            errors.add(file, path, "a range needs a 'value'")
            return None
        numbers = {key: raw.get(key, raw["value"]) for key in ("value", "low", "high")}
    else:
        numbers = {"value": raw, "low": raw, "high": raw}
    ok = True
    rules = hypothesis(name)
    # A plain number stands for all three: check it once.
    to_check = numbers.items() if isinstance(raw, dict) else [("value", raw)]
    for key, number in to_check:
        where = f"{path}.{key}" if isinstance(raw, dict) else path
        if not _is_number(number):
            errors.add(file, where, f"must be a number, got {number!r}")
            ok = False
        elif not math.isfinite(number) or number <= 0:
            errors.add(file, where, f"must be finite and > 0, got {number!r}")
            ok = False
        elif rules.at_most_one and number > 1:
            errors.add(file, where, f"{name} must be <= 1, got {number!r}")
            ok = False
        elif rules.whole and (number != int(number) or number < 1):
            errors.add(file, where, f"{name} must be an integer >= 1, got {number!r}")
            ok = False
    if not ok:
        return None
    if not numbers["low"] <= numbers["value"] <= numbers["high"]:
        errors.add(
            file,
            path,
            f"needs low <= value <= high, got low={numbers['low']!r} value={numbers['value']!r} high={numbers['high']!r}",
        )
        return None
    return Param(float(numbers["value"]), float(numbers["low"]), float(numbers["high"]))


def param_issues(name: str, value: Any, low: Any, high: Any, *, file: str = "", path: str | None = None) -> list[ConfigIssue]:
    """The rules of one parameter (finite, > 0, low <= value <= high, and its catalogue rules: at most 1, whole),
    for callers that check a parameter on its own, such as the admin's forms. Paths are `name.key` or `name`."""
    errors = _Collector()
    _read_param({"value": value, "low": low, "high": high}, name, file, path or name, errors)
    return errors.issues


def alias_issue(alias: str, profile: str, owners: dict[str, str], profile_codes) -> str | None:
    """Why `alias` of `profile` is refused, given the aliases already seen (`owners`: alias -> profile), or None."""
    if alias in owners and owners[alias] != profile:
        return f"alias {alias!r} already belongs to profile {owners[alias]!r}"
    if alias in owners:
        return f"alias {alias!r} is listed twice"
    if alias != profile and alias in profile_codes:
        return f"alias {alias!r} is the code of another profile"
    return None


def _read_entries(doc: dict, key: str, file: str, errors: _Collector) -> dict[str, dict]:
    entries = doc.get(key)
    if not isinstance(entries, dict) or not entries:
        errors.add(file, key, "must be a non-empty mapping of code -> entry")
        return {}
    good = {}
    for code, entry in entries.items():
        if not isinstance(code, str) or not SLUG_RE.match(code):
            errors.add(file, f"{key}.{code}", "a code must be a slug ([a-z0-9][a-z0-9_-]*)")
            continue
        if not isinstance(entry, dict):
            errors.add(file, f"{key}.{code}", "must be a mapping")
            continue
        good[code] = entry
    return good


def _codes(doc: dict, key: str) -> set:
    entries = doc.get(key)
    return {code for code in entries if isinstance(code, str)} if isinstance(entries, dict) else set()


def _read_text(entry: dict, name: str, file: str, path: str, errors: _Collector, required: bool) -> str:
    text = entry.get(name, "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        errors.add(file, f"{path}.{name}", f"must be text, got {text!r}")
        return ""
    if required and not text.strip():
        errors.add(file, f"{path}.{name}", "is required")
    return text


def _check_keys(entry: dict, allowed: set[str], file: str, path: str, errors: _Collector) -> None:
    unknown = set(entry) - allowed
    if unknown:
        errors.add(file, path, f"unknown keys {sorted(map(str, unknown))}; allowed: {sorted(allowed)}")


def _read_params(entry: dict, names: tuple[str, ...], file: str, path: str, errors: _Collector) -> dict[str, Param]:
    params = {}
    for name in names:
        if name not in entry:
            errors.add(file, f"{path}.{name}", "is required")
            continue
        param = _read_param(entry[name], name, file, f"{path}.{name}", errors)
        if param is not None:
            params[name] = param
    return params


def _read_extension(entry: dict, names: tuple[str, ...], file: str, path: str, errors: _Collector) -> dict[str, Param]:
    """Methodology.md section 8 parameters: optional, but a pair is given whole or not at all."""
    present = [name for name in names if entry.get(name) is not None]
    if not present:
        return {}
    if len(present) != len(names):
        missing = [name for name in names if name not in present]
        errors.add(file, f"{path}.{missing[0]}", f"is required with {', '.join(present)}")
        return {}
    params = {}
    for name in names:
        param = _read_param(entry[name], name, file, f"{path}.{name}", errors)
        if param is not None:
            params[name] = param
    return params if len(params) == len(names) else {}


def _read_hypotheses(entry: dict, section: str, file: str, path: str, errors: _Collector) -> dict[str, Param] | None:
    """The catalogue's hypotheses of `section` in `entry`: all required ones (else None, reported)
    and the optional ones (methodology.md section 8) when given whole."""
    required = names(section, optional=False)
    params = _read_params(entry, required, file, path, errors)
    extension = _read_extension(entry, all_or_none(section), file, path, errors)
    alone = _read_params(entry, tuple(name for name in optional_alone(section) if entry.get(name) is not None),
                         file, path, errors)
    return {**params, **extension, **alone} if len(params) == len(required) else None


def _read_equivalents(doc: dict, file: str, errors: _Collector) -> dict[str, Equivalent]:
    """Optional `equivalents:` of config.yaml: conversion factors shown beside the totals."""
    if doc.get("equivalents") is None:
        return {}
    equivalents = {}
    for code, entry in _read_entries(doc, "equivalents", file, errors).items():
        path = f"equivalents.{code}"
        _check_keys(entry, {"name", "name_fr", "source", "metric", "unit", "unit_fr", "amount"}, file, path, errors)
        name = _read_text(entry, "name", file, path, errors, required=True)
        unit = _read_text(entry, "unit", file, path, errors, required=True)
        source = _read_text(entry, "source", file, path, errors, required=True)
        metric = entry.get("metric")
        if metric not in EQUIVALENT_METRICS:
            errors.add(file, f"{path}.metric", f"must be one of {', '.join(EQUIVALENT_METRICS)}, got {metric!r}")
        amount = None
        if "amount" not in entry:
            errors.add(file, f"{path}.amount", "is required")
        else:
            amount = _read_param(entry["amount"], "amount", file, f"{path}.amount", errors)
        if amount is not None and metric in EQUIVALENT_METRICS:
            equivalents[code] = Equivalent(code=code, name=name, metric=metric, unit=unit, amount=amount, source=source,
                                           name_fr=_read_text(entry, "name_fr", file, path, errors, required=False),
                                           unit_fr=_read_text(entry, "unit_fr", file, path, errors, required=False))
    return equivalents


def _read_procurement(entry: dict, file: str, path: str, errors: _Collector) -> dict[str, str]:
    """A model profile's optional `procurement` (engine/scope.py); absent: not declared."""
    if entry.get("procurement") is None:
        return {}
    procurement = entry["procurement"]
    if procurement not in PROCUREMENTS:
        errors.add(file, f"{path}.procurement", f"must be one of {', '.join(PROCUREMENTS)}, got {procurement!r}")
        return {}
    return {"procurement": procurement}


def _read_described(doc: dict, section: str, entry_class, file: str, errors: _Collector) -> dict:
    """The entries of a section whose only fields are name, source and the section's hypotheses
    (regions, model profiles, the latter with their optional procurement), as `entry_class` instances."""
    read = {}
    extra = {"procurement"} if section == "models" else set()
    for code, entry in _read_entries(doc, section, file, errors).items():
        path = f"{section}.{code}"
        _check_keys(entry, {"name", "name_fr", "source", *names(section), *extra}, file, path, errors)
        params = _read_hypotheses(entry, section, file, path, errors)
        name = _read_text(entry, "name", file, path, errors, required=True)
        name_fr = _read_text(entry, "name_fr", file, path, errors, required=False)
        source = _read_text(entry, "source", file, path, errors, required=True)
        declared = _read_procurement(entry, file, path, errors) if section == "models" else {}
        if params is not None:
            read[code] = entry_class(code=code, name=name, name_fr=name_fr, source=source, **params, **declared)
    return read


def _read_regions(doc: dict, file: str, errors: _Collector) -> dict[str, Region]:
    regions = _read_described(doc, "regions", Region, file, errors)
    default_region = doc.get("default_region")
    # isinstance first: a YAML list or mapping here is unhashable and must be refused, not crash.
    if not isinstance(default_region, str) or default_region not in _codes(doc, "regions"):
        errors.add(file, "default_region", f"must name one of the regions, got {default_region!r}")
    return regions


def _read_aliases(entry: dict, code: str, file: str, path: str, errors: _Collector, owners: dict, codes) -> list[str]:
    aliases = entry.get("aliases", []) or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        errors.add(file, f"{path}.aliases", "must be a list of non-empty strings")
        return []
    for index, alias in enumerate(aliases):
        reason = alias_issue(alias, code, owners, codes)
        if reason:
            errors.add(file, f"{path}.aliases[{index}]", reason)
        owners[alias] = code
    return aliases


def _read_profiles(doc: dict, file: str, errors: _Collector) -> dict[str, UsageProfile]:
    profiles = {}
    entries = _read_entries(doc, "profiles", file, errors)
    model_codes = _codes(doc, "models")
    alias_owner: dict[str, str] = {}
    for code, entry in entries.items():
        path = f"profiles.{code}"
        _check_keys(entry, {"name", "name_fr", "source", "model", "aliases", *names("profiles")}, file, path, errors)
        params = _read_hypotheses(entry, "profiles", file, path, errors)
        name = _read_text(entry, "name", file, path, errors, required=True)
        source = _read_text(entry, "source", file, path, errors, required=True)
        model = entry.get("model")
        if not isinstance(model, str) or model not in model_codes:
            errors.add(file, f"{path}.model", f"must name one of the models, got {model!r}")
        aliases = _read_aliases(entry, code, file, path, errors, alias_owner, entries)
        if params is not None and isinstance(model, str):
            # Aliases are a set: sorted here as in the hash, so a snapshot rebuilds an equal profile.
            profiles[code] = UsageProfile(
                code=code, name=name, model=model, source=source, aliases=tuple(sorted(aliases)),
                name_fr=_read_text(entry, "name_fr", file, path, errors, required=False), **params
            )
    return profiles


def parameter_set_from_docs(
    regions_doc: Any,
    models_doc: Any,
    *,
    regions_file: str = REGIONS_FILE,
    models_file: str = MODELS_FILE,
    version: int | None = None,
) -> ParameterSet:
    """Validate the two documents and build the parameter set, or raise ConfigError."""
    from .canonical import parameter_set_sha256

    errors = _Collector()
    if not isinstance(regions_doc, dict):
        errors.add(regions_file, "(top)", "must be a mapping with default_region and regions")
        regions_doc = {}
    if not isinstance(models_doc, dict):
        errors.add(models_file, "(top)", "must be a mapping with models and profiles")
        models_doc = {}
    _check_keys(regions_doc, {"default_region", "regions", "equivalents"}, regions_file, "(top)", errors)
    _check_keys(models_doc, {"models", "profiles"}, models_file, "(top)", errors)
    regions = _read_regions(regions_doc, regions_file, errors)
    models = _read_described(models_doc, "models", ModelProfile, models_file, errors)
    profiles = _read_profiles(models_doc, models_file, errors)
    equivalents = _read_equivalents(regions_doc, regions_file, errors)
    if errors.issues:
        raise ConfigError(errors.issues)
    parameter_set = ParameterSet(
        default_region=regions_doc["default_region"], regions=regions, models=models, profiles=profiles,
        version=version, equivalents=equivalents,
    )
    object.__setattr__(parameter_set, "sha256", parameter_set_sha256(parameter_set))
    return parameter_set


def _load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(str(path), "(file)", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigIssue(str(path), "(file)", f"cannot be read: {exc}")]) from None
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(parse)"
        raise ConfigError([ConfigIssue(str(path), where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None


def load_config_dir(directory: str | Path) -> ParameterSet:
    """Read `config.yaml` and `config_model.yaml` from `directory`."""
    directory = Path(directory)
    regions_path, models_path = directory / REGIONS_FILE, directory / MODELS_FILE
    return parameter_set_from_docs(
        _load_yaml_file(regions_path),
        _load_yaml_file(models_path),
        regions_file=str(regions_path),
        models_file=str(models_path),
    )


def _param_doc(param: Param) -> Any:
    if param.is_exact():
        return whole_number(param.value)
    return {"value": whole_number(param.value), "low": whole_number(param.low), "high": whole_number(param.high)}


def _params_doc(entry, names: tuple[str, ...]) -> dict:
    return {n: _param_doc(getattr(entry, n)) for n in names if getattr(entry, n) is not None}


def _names_doc(entry) -> dict[str, str]:
    """`name`, and `name_fr` when the entry has a French name (older exports have none)."""
    return {"name": entry.name, **({"name_fr": entry.name_fr} if entry.name_fr else {})}


def parameter_set_to_docs(parameter_set: ParameterSet) -> tuple[dict, dict]:
    """The two config documents for a parameter set (the export of a version)."""
    regions_doc = {
        "default_region": parameter_set.default_region,
        "regions": {
            code: {**_names_doc(r), **_params_doc(r, REGION_PARAMS + REGION_EXTENSION_PARAMS), "source": r.source}
            for code, r in sorted(parameter_set.regions.items())
        },
    }
    if parameter_set.equivalents:
        regions_doc["equivalents"] = {
            code: {**_names_doc(e), "metric": e.metric, "unit": e.unit, **({"unit_fr": e.unit_fr} if e.unit_fr else {}), "amount": _param_doc(e.amount), "source": e.source}
            for code, e in sorted(parameter_set.equivalents.items())
        }
    profiles = {}
    for code, p in sorted(parameter_set.profiles.items()):
        entry = {**_names_doc(p), "model": p.model, **{n: _param_doc(getattr(p, n)) for n in PROFILE_PARAMS}}
        if p.aliases:
            entry["aliases"] = list(p.aliases)
        entry["source"] = p.source
        profiles[code] = entry
    models_doc = {
        "models": {
            code: {**_names_doc(m), **_params_doc(m, MODEL_PARAMS + MODEL_EXTENSION_PARAMS),
                   **({"procurement": m.procurement} if m.procurement else {}), "source": m.source}
            for code, m in sorted(parameter_set.models.items())
        },
        "profiles": profiles,
    }
    return regions_doc, models_doc


def write_config_dir(parameter_set: ParameterSet, directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    regions_doc, models_doc = parameter_set_to_docs(parameter_set)
    for name, doc in ((REGIONS_FILE, regions_doc), (MODELS_FILE, models_doc)):
        with open(directory / name, "w", encoding="utf-8") as handle:
            yaml.dump(doc, handle, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=100)
