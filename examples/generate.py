#!/usr/bin/env python3
"""Write ENV5001's sample analytics files, deterministically (standard library only).

    python examples/generate.py           # (re)write the sample files next to this script
    python examples/generate.py --check   # exit 1 if a file differs from what would be written

Every number comes from one seeded `random.Random` and plain arithmetic (no math
functions, no dict/set ordering effects), so a re-run writes byte-identical files.

Files written (all synthetic; the tenant, ids and counts are made up):

- 2025-FluidTopics-daily-analytics.yaml / .csv
    The native format (analytics-format.md sections 1-2), every day of 2025, the five
    default usage profiles; 13 (day, profile) cells on 12 days carry explicit token counts.
- 2025-FluidTopics-ai-profile-activity.json / .csv
    The same tenant's daily counts as Fluid Topics' `POST /analytics/api/v1/ai/profile-activity`
    returns them (section 5.1): six Fluid Topics AI profiles; the CSV is its native twin, computed
    from the JSON with the section 5.1 mapping (name, then type; no aliases needed).
- 2025-openai-usage-completions.json / .csv
    An OpenAI `GET /v1/organization/usage/completions?group_by=model` answer (section 5.2) as a
    list of two pages: a daily export (31 buckets, the API's maximum `limit` for 1d, so it says
    has_more) and, instead of its next page, an hourly export of the last week of the year.
    The CSV twin assumes gpt-4.1 -> chatbot and gpt-4.1-mini -> completion (aliases or the
    model name without its date suffix), tokens summed per UTC day, with a cached_input_tokens
    column (the report's input_cached_tokens, part of input_tokens).
- 2025-anthropic-usage-report.json
    An Anthropic `GET /v1/organizations/usage_report/messages?bucket_width=1d&group_by[]=model` answer
    (analytics-format.md section 6.3) as a list of two pages (1-7 and 8-14 December 2025), two models
    (claude-sonnet-4-20250514, claude-3-5-haiku-20241022), with cache writes and reads. It counts no
    requests. Its own random stream (SEED + 1), so the files above do not change with it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import re
import struct
import sys
import uuid
from pathlib import Path

SEED = 5001
HERE = Path(__file__).resolve().parent
YEAR = 2025
FIRST_DAY = dt.date(YEAR, 1, 1)
LAST_DAY = dt.date(YEAR, 12, 31)
PROFILES = ("chatbot", "completion", "search_answer", "summary", "translation")

YAML_FILE = "2025-FluidTopics-daily-analytics.yaml"
CSV_FILE = "2025-FluidTopics-daily-analytics.csv"
FT_JSON_FILE = "2025-FluidTopics-ai-profile-activity.json"
FT_CSV_FILE = "2025-FluidTopics-ai-profile-activity.csv"
OPENAI_JSON_FILE = "2025-openai-usage-completions.json"
OPENAI_CSV_FILE = "2025-openai-usage-completions.csv"
ANTHROPIC_JSON_FILE = "2025-anthropic-usage-report.json"
ANTHROPIC_MODELS = (
    # model, base tokens of uncached input a day, cache writes share, cache reads share, output share
    ("claude-sonnet-4-20250514", 2_400_000, 0.08, 0.55, 0.22),
    ("claude-3-5-haiku-20241022", 900_000, 0.02, 0.30, 0.12),
)
CSV_HEADER = "date,profile,inferences,input_tokens,output_tokens"

# Inferences on a Monday of early January, before seasonality, growth and noise.
BASE = {"chatbot": 1250, "completion": 4300, "search_answer": 360, "summary": 80, "translation": 26}
# Relative growth over the year (a slow, steady adoption; summaries grow fastest).
GROWTH = {"chatbot": 0.36, "completion": 0.28, "search_answer": 0.30, "summary": 0.55, "translation": 0.20}
# Monday .. Sunday: a documentation portal is used at work.
WEEKDAY = (1.0, 1.06, 1.04, 1.0, 0.86, 0.24, 0.19)
# Seasonality: piecewise linear between these (month, day, factor) anchors.
SEASON = (
    (1, 1, 0.70), (1, 8, 1.0), (7, 11, 1.0), (7, 25, 0.84), (8, 4, 0.62), (8, 15, 0.55),
    (8, 24, 0.66), (9, 1, 0.95), (9, 8, 1.04), (12, 12, 1.02), (12, 19, 0.86), (12, 24, 0.50),
    (12, 31, 0.44),
)
# Public holidays (on top of the weekday factor).
HOLIDAYS = {
    dt.date(2025, 1, 1): 0.30, dt.date(2025, 4, 21): 0.50, dt.date(2025, 5, 1): 0.45,
    dt.date(2025, 5, 8): 0.70, dt.date(2025, 5, 29): 0.60, dt.date(2025, 7, 14): 0.60,
    dt.date(2025, 8, 15): 0.50, dt.date(2025, 11, 11): 0.70, dt.date(2025, 12, 25): 0.25,
    dt.date(2025, 12, 26): 0.45,
}
# Days whose counts come with explicit tokens (a token-logging pilot, then a summary A/B test):
# per-inference (input low, input high, output low, output high) averages.
EXPLICIT = {
    "chatbot": [dt.date(2025, 3, d) for d in (10, 11, 12, 13, 14)] + [dt.date(2025, 10, d) for d in (6, 7, 8, 9, 10)],
    "summary": [dt.date(2025, 6, 16), dt.date(2025, 6, 17), dt.date(2025, 10, 9)],
}
EXPLICIT_PER_INFERENCE = {"chatbot": (1300, 2100, 330, 470), "summary": (4500, 7500, 250, 380)}

# Fluid Topics AI profiles: (name, type or None, usage profile whose daily count it carries, share).
# ChatWithMe and Support assistant share the chatbot count; "search_answer" is a completion-type
# profile named like a usage profile (the name rule wins over the type rule); "summary" has no type.
FT_PROFILES = (
    ("ChatWithMe", "chatbot", "chatbot", 0.78),
    ("Support assistant", "chatbot", "chatbot", None),  # the rest of chatbot
    ("Autocomplete", "completion", "completion", 1.0),
    ("search_answer", "completion", "search_answer", 1.0),
    ("summary", None, "summary", 1.0),
    ("Translate FR", "translation", "translation", 1.0),
)

# OpenAI usage: gpt-4.1 behind the chatbot, gpt-4.1-mini behind completions.
OPENAI_DAILY_FIRST = dt.date(2025, 11, 24)  # 31 daily buckets: 2025-11-24 .. 2025-12-24
OPENAI_HOURLY_FIRST = dt.date(2025, 12, 25)  # 168 hourly buckets: 2025-12-25 .. 2025-12-31
OPENAI_EXPORTED_AT = dt.datetime(2026, 1, 2, 9, 14, 27, tzinfo=dt.timezone.utc)
OPENAI_MODELS = (
    # model, usage profile of the CSV twin, base requests, (input/request low, high),
    # (cached share low, high), (output/request low, high)
    ("gpt-4.1-2025-04-14", "gpt-4-1", 1250, (1700, 2300), (0.35, 0.55), (340, 440)),
    ("gpt-4.1-mini-2025-04-14", "gpt-4-1-mini", 4300, (260, 340), (0.0, 0.0), (40, 60)),
)
# The usage profiles of methodology version 2 (config/) whose aliases hold these models.
OPENAI_PROFILE = {"gpt-4.1": "gpt-4-1", "gpt-4.1-mini": "gpt-4-1-mini"}
# Share of a day's requests per UTC hour (Europe's working day, then America's afternoon).
HOUR_WEIGHTS = (
    0.20, 0.10, 0.05, 0.05, 0.15, 0.50, 1.00, 1.60, 2.20, 2.50, 2.50, 2.30,
    2.00, 2.30, 2.60, 2.60, 2.30, 1.90, 1.50, 1.20, 1.00, 0.80, 0.55, 0.35,
)


def days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def noise(rng: random.Random, spread: float) -> float:
    """A factor in [1 - spread, 1 + spread], bell-shaped (mean of three uniforms)."""
    return 1.0 + spread * ((rng.random() + rng.random() + rng.random()) / 1.5 - 1.0)


def uniform(rng: random.Random, low: float, high: float) -> float:
    return low + (high - low) * rng.random()


def season(day: dt.date) -> float:
    ordinal = day.toordinal()
    anchors = [(dt.date(YEAR, m, d).toordinal(), f) for m, d, f in SEASON]
    for (o0, f0), (o1, f1) in zip(anchors, anchors[1:]):
        if o0 <= ordinal <= o1:
            return f0 + (f1 - f0) * (ordinal - o0) / (o1 - o0)
    raise ValueError(day)


def day_factor(day: dt.date) -> float:
    """Weekday x season x holiday, without growth or noise."""
    return WEEKDAY[day.weekday()] * season(day) * HOLIDAYS.get(day, 1.0)


def growth(day: dt.date, rate: float) -> float:
    return 1.0 + rate * (day - FIRST_DAY).days / 364


def count(x: float) -> int:
    """Round half up, at least 1 (every profile is used every day, so no zero cells to argue about)."""
    return max(1, int(x + 0.5))


# --- the year of native counts ---------------------------------------------------------------


def native_year(rng: random.Random) -> dict[dt.date, dict[str, tuple[int, int | None, int | None]]]:
    """{day: {profile: (inferences, input_tokens or None, output_tokens or None)}}."""
    explicit_days = {(day, profile) for profile, listed in EXPLICIT.items() for day in listed}
    year: dict[dt.date, dict[str, tuple[int, int | None, int | None]]] = {}
    for day in days(FIRST_DAY, LAST_DAY):
        traffic = day_factor(day) * noise(rng, 0.06)  # shared by all profiles: a busy day is busy for all
        usages = {}
        for profile in PROFILES:
            n = count(BASE[profile] * traffic * growth(day, GROWTH[profile]) * noise(rng, 0.10))
            if (day, profile) in explicit_days:
                in_lo, in_hi, out_lo, out_hi = EXPLICIT_PER_INFERENCE[profile]
                usages[profile] = (n, int(n * uniform(rng, in_lo, in_hi)), int(n * uniform(rng, out_lo, out_hi)))
            else:
                usages[profile] = (n, None, None)
        year[day] = usages
    return year


def native_yaml(year) -> str:
    lines = [
        "# Daily generative-AI usage of a documentation portal in 2025 (synthetic sample).",
        "# Native nested form (docs/analytics-format.md). Written by examples/generate.py: do not edit.",
        "source: fluid-topics",
        "tenant: docs.example.com",
        "days:",
    ]
    for day, usages in year.items():
        lines.append(f"  - date: {day.isoformat()}")
        lines.append("    usages:")
        for profile, (n, tokens_in, tokens_out) in usages.items():
            if tokens_in is None:
                lines.append(f"      {profile}: {n}")
            else:
                lines.append(f"      {profile}:")
                lines.append(f"        inferences: {n}")
                lines.append(f"        input_tokens: {tokens_in}")
                lines.append(f"        output_tokens: {tokens_out}")
    return "\n".join(lines) + "\n"


def csv_text(rows, header: str = CSV_HEADER) -> str:
    """rows: (day, profile, inferences, input_tokens or None, output_tokens or None[, cached_input_tokens])."""
    out = [header]
    for day, profile, n, *tokens in rows:
        cells = (day.isoformat(), profile, str(n), *("" if count is None else str(count) for count in tokens))
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def native_csv(year) -> str:
    return csv_text((day, p, *cell) for day, usages in year.items() for p, cell in usages.items())


# --- Fluid Topics AI profile activity -----------------------------------------------------------


def fluidtopics_export(rng: random.Random, year) -> dict:
    results = []
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in FT_PROFILES]
    periods = {name: [] for name, *_ in FT_PROFILES}
    for day, usages in year.items():
        next_day = (day + dt.timedelta(days=1)).isoformat()
        chatbot = usages["chatbot"][0]
        chat_with_me = min(chatbot - 1, count(chatbot * 0.78 * noise(rng, 0.05)))
        for name, _type, profile, share in FT_PROFILES:
            if name == "ChatWithMe":
                n = chat_with_me
            elif name == "Support assistant":
                n = chatbot - chat_with_me
            else:
                n = usages[profile][0]
            periods[name].append({"periodStartDate": day.isoformat(), "periodEndDate": next_day, "aiQueryCount": n})
    for profile_id, (name, profile_type, _profile, _share) in zip(ids, FT_PROFILES):
        result = {"id": profile_id, "name": name}
        if profile_type is not None:
            result["type"] = profile_type
        result["periods"] = periods[name]
        results.append(result)
    return {"startDate": FIRST_DAY.isoformat(), "endDate": (LAST_DAY + dt.timedelta(days=1)).isoformat(), "results": results}


def fluidtopics_twin(export: dict) -> str:
    """The native CSV the export means, computed from the export alone (analytics-format.md 5.1).

    Rule 1 (aliases) does not apply: the default methodology's aliases are model ids. Rule 2: the name is a
    usage profile code. Rule 3: the type (any case) is a usage profile code.
    """
    totals: dict[tuple[dt.date, str], int] = {}
    for result in export["results"]:
        if result["name"] in PROFILES:
            profile = result["name"]
        elif str(result.get("type", "")).lower() in PROFILES:
            profile = result["type"].lower()
        else:
            raise ValueError(f"Fluid Topics profile {result['name']!r} maps to no usage profile")
        for period in result["periods"]:
            start = dt.date.fromisoformat(period["periodStartDate"])
            if dt.date.fromisoformat(period["periodEndDate"]) - start != dt.timedelta(days=1):
                raise ValueError("periods must be days")
            key = (start, profile)
            totals[key] = totals.get(key, 0) + period["aiQueryCount"]
    order = {p: i for i, p in enumerate(PROFILES)}
    keys = sorted(totals, key=lambda k: (k[0], order[k[1]]))
    return csv_text((day, profile, totals[(day, profile)], None, None) for day, profile in keys)


# --- OpenAI usage report --------------------------------------------------------------------------


def epoch(day: dt.date, hour: int = 0) -> int:
    return int(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone.utc).timestamp())


def openai_result(model: str, requests: int, tokens_in: int, cached: int, tokens_out: int) -> dict:
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": tokens_in,
        "output_tokens": tokens_out,
        "input_cached_tokens": cached,
        "num_model_requests": requests,
        "project_id": None,
        "user_id": None,
        "api_key_id": None,
        "model": model,
        "batch": None,
        "service_tier": None,
    }


def openai_day_plan(rng: random.Random, day: dt.date):
    """Per model: (model, day's requests, input/request, cached share, output/request)."""
    traffic = day_factor(day) * growth(day, 0.30) * noise(rng, 0.06)
    plan = []
    for model, _profile, base, in_range, cached_range, out_range in OPENAI_MODELS:
        plan.append((model, count(base * traffic * noise(rng, 0.08)), uniform(rng, *in_range),
                     uniform(rng, *cached_range), uniform(rng, *out_range)))
    return plan


def usage(rng: random.Random, requests: int, per_in: float, cached_share: float, per_out: float):
    tokens_in = int(requests * per_in * noise(rng, 0.04))
    return tokens_in, int(tokens_in * cached_share), int(requests * per_out * noise(rng, 0.04))


def openai_export(rng: random.Random) -> list[dict]:
    daily = []
    for day in days(OPENAI_DAILY_FIRST, OPENAI_HOURLY_FIRST - dt.timedelta(days=1)):
        results = []
        for model, requests, per_in, cached_share, per_out in openai_day_plan(rng, day):
            tokens_in, cached, tokens_out = usage(rng, requests, per_in, cached_share, per_out)
            results.append(openai_result(model, requests, tokens_in, cached, tokens_out))
        daily.append({"object": "bucket", "start_time": epoch(day), "end_time": epoch(day + dt.timedelta(days=1)),
                      "results": results})
    # The daily export asked for end_time 2026-01-01 with limit=31: one more page was due.
    cursor = struct.pack(">IIIII", 0, int(OPENAI_EXPORTED_AT.timestamp()), rng.getrandbits(32), 0,
                         epoch(OPENAI_HOURLY_FIRST))
    first_page = {"object": "page", "data": daily, "has_more": True, "next_page": base64.b64encode(cursor).decode("ascii")}

    weight_sum = sum(HOUR_WEIGHTS)
    hourly = []
    for day in days(OPENAI_HOURLY_FIRST, LAST_DAY):
        plan = openai_day_plan(rng, day)
        for hour, weight in enumerate(HOUR_WEIGHTS):
            results = []
            for model, day_requests, per_in, cached_share, per_out in plan:
                requests = int(day_requests * weight / weight_sum * noise(rng, 0.30) + 0.5)
                if requests:  # a model with no request in the hour has no result in the bucket
                    tokens_in, cached, tokens_out = usage(rng, requests, per_in, cached_share, per_out)
                    results.append(openai_result(model, requests, tokens_in, cached, tokens_out))
            hourly.append({"object": "bucket", "start_time": epoch(day, hour), "end_time": epoch(day, hour) + 3600,
                           "results": results})
    second_page = {"object": "page", "data": hourly, "has_more": False, "next_page": None}
    return [first_page, second_page]


def openai_twin(pages: list[dict]) -> str:
    """Native CSV of the pages: UTC day of each bucket's start, model without its date suffix."""
    totals: dict[tuple[dt.date, str], list[int]] = {}
    for page in pages:
        for bucket in page["data"]:
            day = dt.datetime.fromtimestamp(bucket["start_time"], dt.timezone.utc).date()
            for result in bucket["results"]:
                profile = OPENAI_PROFILE[re.sub(r"-\d{4}-\d{2}-\d{2}$", "", result["model"])]
                cell = totals.setdefault((day, profile), [0, 0, 0, 0])
                cell[0] += result["num_model_requests"]
                cell[1] += result["input_tokens"]  # input_cached_tokens are part of input_tokens
                cell[2] += result["output_tokens"]
                cell[3] += result["input_cached_tokens"]
    order = {p: i for i, p in enumerate(OPENAI_PROFILE.values())}
    keys = sorted(totals, key=lambda k: (k[0], order[k[1]]))
    return csv_text(((day, profile, *totals[(day, profile)]) for day, profile in keys),
                    CSV_HEADER + ",cached_input_tokens")


# --- main -----------------------------------------------------------------------------------------


def to_json(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build() -> dict[str, str]:
    rng = random.Random(SEED)
    year = native_year(rng)
    files = {YAML_FILE: native_yaml(year), CSV_FILE: native_csv(year)}

    ft_json = to_json(fluidtopics_export(rng, year))
    files[FT_JSON_FILE] = ft_json
    files[FT_CSV_FILE] = fluidtopics_twin(json.loads(ft_json))  # from the written text, not from `year`
    # The export splits the same counts differently: its twin is the native CSV without tokens.
    expected = csv_text((d, p, cell[0], None, None) for d, usages in year.items() for p, cell in usages.items())
    assert files[FT_CSV_FILE] == expected, "Fluid Topics twin differs from the native counts"

    openai_json = to_json(openai_export(rng))
    files[OPENAI_JSON_FILE] = openai_json
    files[OPENAI_CSV_FILE] = openai_twin(json.loads(openai_json))
    files[ANTHROPIC_JSON_FILE] = to_json(anthropic_export(random.Random(SEED + 1)))
    return files


def anthropic_export(rng: random.Random) -> list[dict]:
    """Two pages of daily buckets, one result per model (RFC 3339 bucket bounds, token counts only)."""
    pages = []
    for first, last, more in ((dt.date(2025, 12, 1), dt.date(2025, 12, 7), True),
                              (dt.date(2025, 12, 8), dt.date(2025, 12, 14), False)):
        data = []
        for day in days(first, last):
            results = []
            for model, base, writes, reads, output in ANTHROPIC_MODELS:
                uncached = int(base * day_factor(day) * noise(rng, 0.08))
                written = int(uncached * writes * noise(rng, 0.1))
                results.append({
                    "uncached_input_tokens": uncached,
                    "cache_creation": {"ephemeral_5m_input_tokens": written - written // 4,
                                       "ephemeral_1h_input_tokens": written // 4},
                    "cache_read_input_tokens": int(uncached * reads * noise(rng, 0.1)),
                    "output_tokens": int(uncached * output * noise(rng, 0.06)),
                    "server_tool_use": {"web_search_requests": int(3 * noise(rng, 0.5))},
                    "model": model, "workspace_id": None, "api_key_id": None, "service_tier": "standard",
                    "context_window": "0-200k",
                })
            start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
            data.append({"starting_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "ending_at": (start + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "results": results})
        pages.append({"data": data, "has_more": more, "next_page": "page_2" if more else None})
    return pages


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in build().items():
        path = HERE / name
        data = text.encode("utf-8")
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            print(f"{name}: {len(data):,} bytes")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python examples/generate.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
