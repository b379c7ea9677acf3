"""Benchmark inputs: a 500-profile methodology and analytics files of three sizes.

Everything is generated in memory, deterministically (fixed seeds), so every run
measures the same bytes. Sizes (see README):

- typical: the 5 usage profiles every version ships x 365 days (under the shipped config/);
- large:   500 profiles p000..p499 x 365 days = 182 500 records;
- huge:    500 profiles x as many days as fit in a YAML file just under the 50 MB upload
           cap (910 days, 455 000 records), with explicit token counts (5 fields per record);
           the CSV holds the same records (--huge-csv-at-cap: a CSV near the cap instead);
- century: many days, few profiles: 3 default profiles x 100 years (2000-2099: 36 525 days,
           109 575 records), counts only (the shape of issue 14, item 7).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from calculations.engine.canonical import parameter_set_sha256
from calculations.engine.config import load_config_dir
from calculations.engine.parameters import ParameterSet

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_DIR / "config"
UPLOAD_CAP = 50 * 1024 * 1024  # settings.ANALYTICS_MAX_UPLOAD_BYTES default
HUGE_FILL = 0.97  # huge files are sized to about 97 % of the cap
FIRST_DAY = date(2023, 1, 1)
BENCH_PROFILES = 500
CENTURY_FIRST_DAY = date(2000, 1, 1)  # the first day analytics may have (analytics-format.md)
CENTURY_DAYS = (date(2100, 1, 1) - CENTURY_FIRST_DAY).days  # 100 years: 36 525 days
CENTURY_PROFILES = ("chatbot", "completion", "summary")
# The five usage profiles every version ships (methodology version 2 adds one per commercial model: a
# typical upload is still a portal's five kinds of usage, and the bench's clones are of these five).
TYPICAL_PROFILES = ("chatbot", "completion", "search_answer", "summary", "translation")

CSV_HEADER = "date,profile,inferences,input_tokens,output_tokens\n"


def default_parameters() -> ParameterSet:
    return load_config_dir(CONFIG_DIR)


def bench_parameters(count: int = BENCH_PROFILES) -> ParameterSet:
    """config/ with its usage profiles replaced by `count` clones p000.. of the five typical ones."""
    base = default_parameters()
    templates = [base.profiles[code] for code in TYPICAL_PROFILES]
    profiles = {}
    for index in range(count):
        template = templates[index % len(templates)]
        code = f"p{index:03d}"
        profiles[code] = replace(
            template, code=code, name=f"Bench profile {index} (clone of {template.code})", aliases=(),
            source=f"Benchmark clone of {template.code}.",
        )
    parameters = replace(base, profiles=profiles, version=None, _alias_index={})
    object.__setattr__(parameters, "sha256", parameter_set_sha256(parameters))
    return parameters


@dataclass(frozen=True)
class Dataset:
    size: str  # typical, large, huge
    form: str  # records, days (YAML) or csv
    data: bytes
    records: int
    days: int
    profiles: int
    content_type: str
    version: str  # "default" (config/) or "bench" (500 profiles)

    @property
    def name(self) -> str:
        return f"{self.size}/{self.form}"

    @property
    def syntax(self) -> str:
        return "csv" if self.form == "csv" else "yaml"


def _usage(rng: random.Random, count: int, tokens: bool, first_day: date = FIRST_DAY):
    """(date text, profile code, inferences, input tokens or None, output tokens or None) per record."""
    days, codes = count
    for day in range(days):
        text = (first_day + timedelta(days=day)).isoformat()
        for code in codes:
            inferences = rng.randrange(0, 5000)
            if tokens:
                yield text, code, inferences, inferences * rng.randrange(200, 2000), inferences * rng.randrange(20, 600)
            else:
                yield text, code, inferences, None, None


def records_yaml(rows) -> bytes:
    """Flat form (analytics-format.md section 1): one mapping per (day, profile)."""
    out = ["# ENV5001 benchmark analytics (flat records form)\nsource: bench\ntenant: bench.example.com\nrecords:\n"]
    append = out.append
    for day, code, inferences, tokens_in, tokens_out in rows:
        if tokens_in is None:
            append(f"  - date: {day}\n    profile: {code}\n    inferences: {inferences}\n")
        else:
            append(
                f"  - date: {day}\n    profile: {code}\n    inferences: {inferences}\n"
                f"    input_tokens: {tokens_in}\n    output_tokens: {tokens_out}\n"
            )
    return "".join(out).encode()


def days_yaml(rows) -> bytes:
    """Nested form (section 1): one mapping per day with its usages per profile."""
    out = ["# ENV5001 benchmark analytics (nested days form)\nsource: bench\ntenant: bench.example.com\ndays:\n"]
    append = out.append
    current = None
    for day, code, inferences, tokens_in, tokens_out in rows:
        if day != current:
            append(f"  - date: {day}\n    usages:\n")
            current = day
        if tokens_in is None:
            append(f"      {code}: {inferences}\n")
        else:
            append(f"      {code}: {{inferences: {inferences}, input_tokens: {tokens_in}, output_tokens: {tokens_out}}}\n")
    return "".join(out).encode()


def csv_text(rows) -> bytes:
    out = [CSV_HEADER]
    append = out.append
    for day, code, inferences, tokens_in, tokens_out in rows:
        append(f"{day},{code},{inferences},{'' if tokens_in is None else tokens_in},{'' if tokens_out is None else tokens_out}\n")
    return "".join(out).encode()


_WRITERS = {"records": (records_yaml, "application/yaml"), "days": (days_yaml, "application/yaml"),
            "csv": (csv_text, "text/csv")}


def make(size: str, form: str, *, profile_codes: list[str], days: int, tokens: bool, version: str,
         first_day: date = FIRST_DAY) -> Dataset:
    write, content_type = _WRITERS[form]
    rng = random.Random(f"{size}/{days}/{len(profile_codes)}")
    data = write(_usage(rng, (days, profile_codes), tokens, first_day))
    return Dataset(size, form, data, days * len(profile_codes), days, len(profile_codes), content_type, version)


def huge_days(form: str, profile_codes: list[str]) -> int:
    """How many days of 500 profiles with tokens fit in HUGE_FILL of the cap, for this form."""
    sample_days = 20
    sample = make("huge", form, profile_codes=profile_codes, days=sample_days, tokens=True, version="bench").data
    per_day = len(sample) / sample_days
    return int(UPLOAD_CAP * HUGE_FILL / per_day)


def datasets(sizes=("typical", "large", "huge"), *, quick: bool = False, csv_at_cap: bool = False) -> list[Dataset]:
    """The benchmark's files. `quick` shrinks large and huge (smoke run only: figures not comparable)."""
    default_codes = sorted(TYPICAL_PROFILES)
    bench_codes = [f"p{index:03d}" for index in range(BENCH_PROFILES)]
    out: list[Dataset] = []
    for size in sizes:
        if size == "typical":
            for form in ("records", "csv"):
                out.append(make(size, form, profile_codes=default_codes, days=365, tokens=False, version="default"))
        elif size == "large":
            days = 20 if quick else 365
            for form in ("records", "days", "csv"):
                out.append(make(size, form, profile_codes=bench_codes, days=days, tokens=False, version="bench"))
        elif size == "huge":
            # The same records in both syntaxes, as for the other sizes: the YAML file is the one near
            # the cap (the CSV of the same records is a third of it). csv_at_cap: a CSV near the cap
            # instead, about 3 times more records (1.4 million).
            days = 40 if quick else huge_days("records", bench_codes)
            for form in ("records", "csv"):
                form_days = huge_days(form, bench_codes) if form == "csv" and csv_at_cap and not quick else days
                dataset = make(size, form, profile_codes=bench_codes, days=form_days, tokens=True, version="bench")
                assert len(dataset.data) < UPLOAD_CAP, (dataset.name, len(dataset.data))
                out.append(dataset)
        elif size == "century":
            days = 400 if quick else CENTURY_DAYS
            for form in ("records", "csv"):
                out.append(make(size, form, profile_codes=list(CENTURY_PROFILES), days=days, tokens=False,
                                version="default", first_day=CENTURY_FIRST_DAY))
        else:
            raise ValueError(f"unknown size {size!r}")
    return out
