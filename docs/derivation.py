"""Methodology version 2, derived from published figures: writes config/ and docs/derivation.md.

    .venv/bin/python docs/derivation.py           # rewrite config/config.yaml, config/config_model.yaml, docs/derivation.md
    .venv/bin/python docs/derivation.py --check   # exit 1 if any of them differs from what it would write

The figures and their sources are in docs/derivation_inputs.py; this script only does the arithmetic, in the
order docs/derivation.md prints it, and writes every bound's origin into the entry's `source`. Derived numbers
are rounded to three significant figures. Standard library only.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

import derivation_inputs as inp
from derivation_market import market_factor, market_md, market_source

HERE = Path(__file__).resolve().parent
CONFIG = HERE.parent / "config"
BOUNDS = ("value", "low", "high")


def fmt(number: float) -> str:
    """A number as the config and the sources write it."""
    return f"{number:g}"


def sig3(number: float) -> float:
    digits = 2 - int(math.floor(math.log10(abs(number))))
    rounded = round(number, digits)
    return float(int(rounded)) if rounded == int(rounded) else rounded


# --- The formulas of the derivation (docs/derivation.md, section 2) ------------------------------------------

def gpu_energy_wh_per_token(active_b: float) -> float:
    """EcoLogits: energy of one GPU per output token [Wh] at batch 64, for `active_b` billion active parameters."""
    return inp.GPU_ENERGY_ALPHA * math.exp(inp.GPU_ENERGY_BETA * inp.ECOLOGITS_BATCH) * active_b + inp.GPU_ENERGY_GAMMA


def latency_s_per_token(active_b: float) -> float:
    """EcoLogits: time per output token of one request [s] at batch 64."""
    return inp.LATENCY_ALPHA * active_b + inp.LATENCY_BETA * inp.ECOLOGITS_BATCH + inp.LATENCY_GAMMA


def decode_tokens_per_s(active_b: float) -> float:
    """Aggregate decode throughput of a replica: 64 concurrent requests / time per token."""
    return inp.ECOLOGITS_BATCH / latency_s_per_token(active_b)


def gpu_power_w(active_b: float) -> float:
    """Mean draw of one GPU while decoding [W]: its energy per token x tokens per second."""
    return gpu_energy_wh_per_token(active_b) * 3600 * decode_tokens_per_s(active_b)


def gpu_count(total_b: float, bits: int) -> int:
    """GPUs holding the weights: EcoLogits' rule, 1.2 x weights over 80 GB, rounded up to a power of two."""
    needed = math.ceil(inp.MEMORY_OVERHEAD * total_b * bits / 8 / inp.H100_MEMORY_GB)
    return 2 ** math.ceil(math.log2(needed))


def prefill_tokens_per_s_raw(active_b: float, gpus: int, utilisation: float) -> float:
    """Compute-bound prefill: GPUs x dense BF16 peak x utilisation / (2 FLOP per active parameter)."""
    return gpus * inp.H100_BF16_DENSE_FLOPS * utilisation / (2 * active_b * 1e9)


SOFTWARE_NEW = gpu_energy_wh_per_token(8.03) * 3600 / inp.MLENERGY_8B_J_PER_TOKEN["new"]
SOFTWARE_OLD = gpu_energy_wh_per_token(8.03) * 3600 / inp.MLENERGY_8B_J_PER_TOKEN["old"]
HOST_HIGH_W_PER_GPU = inp.EPOCH_POWER_SHARE * (inp.DGX_H100_MAX_W - inp.SERVER_GPUS * inp.H100_TDP_W) / inp.SERVER_GPUS
HOST_W_PER_GPU = inp.SERVER_POWER_W / inp.SERVER_GPUS
GOOGLE = inp.GOOGLE_WH
HOSTED_BITS = (", 8-bit at the centre: a provider serves its model quantised for cost, as DeepSeek-V3's FP8 and "
               "OpenAI's gpt-oss MXFP4 published weights are")
EFFICIENCY = (GOOGLE["accelerators"] + GOOGLE["host"]) / (GOOGLE["accelerators"] + GOOGLE["host"] + GOOGLE["idle"])
EFFICIENCY_LOW = (GOOGLE["accelerators"] + GOOGLE["host"]) / (
    GOOGLE["accelerators"] + GOOGLE["host"] + inp.EFFICIENCY_IDLE_FACTOR_LOW * GOOGLE["idle"])


# --- Models -----------------------------------------------------------------------------------------------

def _prefill_tokens_per_s(active: tuple, gpus: int, ratio: float) -> dict:
    """Prefill throughput's value and bounds (utilisation and size at opposite ends), at the decode power."""
    (a_value, a_low, a_high), mfu = active, inp.PREFILL_MFU
    return {"value": sig3(prefill_tokens_per_s_raw(a_value, gpus, mfu["value"]) * ratio),
            "low": sig3(prefill_tokens_per_s_raw(a_high, gpus, mfu["low"]) * ratio),
            "high": sig3(prefill_tokens_per_s_raw(a_low, gpus, mfu["high"]) * ratio)}


def _embodied_kgco2e(n: dict) -> dict:
    """GPUs x an H100's footprint + their share of an 8-GPU server's, at the GPU count's value and bounds."""
    gpu_kg, server_kg = inp.GPU_EMBODIED_KG, inp.SERVER_EMBODIED_KG
    return {"value": sig3(n["value"] * gpu_kg["value"] + n["value"] / 8 * server_kg),
            "low": sig3(n["low"] * gpu_kg["low"] + n["low"] / 8 * server_kg),
            "high": sig3(n["high"] * gpu_kg["value"] + n["high"] / 8 * server_kg)}


def model_entry(code: str) -> tuple[dict, dict]:
    """(the hypotheses of model `code`, the intermediate figures docs/derivation.md shows)."""
    name, name_fr, kind, total, active, bits, cache_key, sizes = inp.MODELS[code]
    t_value, t_low, t_high = total
    a_value, a_low, a_high = active
    # One uncertainty at its end at a time: precision (FP8 / 16-bit) at the central size, or the size's bound
    # at the central precision, whichever reaches further; both ends at once is the worst case of
    # methodology.md section 6, not a plausible count for a year of serving.
    n = {"value": gpu_count(t_value, bits),
         "low": min(gpu_count(t_value, 8), gpu_count(t_low, bits)),
         "high": max(gpu_count(t_value, 16), gpu_count(t_high, bits))}
    powers = sorted((gpu_power_w(a_low), gpu_power_w(a_high)))
    gpu_w = {"value": sig3(gpu_power_w(a_value)), "low": sig3(powers[0]), "high": sig3(powers[1])}
    host_low_per_gpu = GOOGLE["host"] / GOOGLE["accelerators"] * gpu_power_w(a_value)
    # At the central GPU count: the count's own uncertainty is the gpu_count hypothesis (not counted twice).
    host = {"value": sig3(HOST_W_PER_GPU * n["value"]), "low": sig3(host_low_per_gpu * n["value"]),
            "high": sig3(HOST_HIGH_W_PER_GPU * n["value"])}
    decode = {"value": sig3(decode_tokens_per_s(a_value)), "low": sig3(decode_tokens_per_s(a_high) * SOFTWARE_OLD),
              "high": sig3(decode_tokens_per_s(a_low) * SOFTWARE_NEW)}
    decode_power = n["value"] * gpu_power_w(a_value) + HOST_W_PER_GPU * n["value"]
    prefill_power = n["value"] * inp.H100_TDP_W + HOST_W_PER_GPU * n["value"]
    ratio = decode_power / prefill_power
    prefill = _prefill_tokens_per_s(active, n["value"], ratio)
    embodied = _embodied_kgco2e(n)
    cache_value, cache_source = inp.CACHE[cache_key]
    hypotheses = {
        "gpu_count": {k: float(v) for k, v in n.items()},
        "gpu_power_w": gpu_w, "host_power_w": host,
        "prefill_tokens_per_s": prefill, "decode_tokens_per_s": decode,
        "efficiency": {"value": sig3(EFFICIENCY), "low": sig3(EFFICIENCY_LOW), "high": inp.EFFICIENCY_HIGH},
        "embodied_kgco2e": embodied,
        "lifetime_years": {k: float(v) for k, v in inp.LIFETIME_YEARS.items()},
        "cached_input_fraction": {"value": cache_value, "low": inp.CACHE_LOW, "high": inp.CACHE_HIGH},
    }
    r = {k: fmt(v) for k, v in {"tv": t_value, "tl": t_low, "th": t_high, "av": a_value, "al": a_low, "ah": a_high}.items()}
    h = {key: {b: fmt(v) for b, v in bounds.items()} for key, bounds in hypotheses.items()}
    source = (
        f"Size: {sizes}. Total {r['tv']}B (low {r['tl']}, high {r['th']}), active {r['av']}B (low {r['al']}, "
        f"high {r['ah']}); {'MoE: active parameters drive compute, total memory the GPU count' if kind == 'moe' else 'dense'}. "
        f"GPU count {h['gpu_count']['value']}: EcoLogits' rule (1.2 x {bits}-bit weights over 80 GB, rounded up to a power "
        f"of 2{HOSTED_BITS if bits == 8 else ''}); low {h['gpu_count']['low']} and high {h['gpu_count']['high']}: FP8 or 16-bit weights at "
        f"the central size, or the low or high size at {bits} bits, whichever reaches further (one uncertainty at its end "
        f"at a time). "
        f"Decode {h['decode_tokens_per_s']['value']} tokens/s and GPU power {h['gpu_power_w']['value']} W: EcoLogits' "
        f"regressions on ML.ENERGY H100 measurements (vLLM, batch 64) at {r['av']}B active; decode low "
        f"{h['decode_tokens_per_s']['low']} (at {r['ah']}B, ML.ENERGY v2 software 0.20 J/token for Llama-3.1-8B), high "
        f"{h['decode_tokens_per_s']['high']} (at {r['al']}B, ML.ENERGY v3 software 0.12 J/token); GPU power low "
        f"{h['gpu_power_w']['low']} W and high {h['gpu_power_w']['high']} W: the same regressions across the active range "
        f"(not the 700 W TDP: the measured energy per token already bounds power x time). Host "
        f"{h['host_power_w']['value']} W: EcoLogits' 1.2 kW per 8-GPU server shared per GPU; low "
        f"{h['host_power_w']['low']} W: Google Aug 2025's host/accelerator energy ratio 0.06/0.14 x the GPU power; high "
        f"{h['host_power_w']['high']} W: the NVIDIA DGX H100 10.2 kW rating less 8 x 700 W, at Epoch AI 2025's 70 % of "
        f"rated power; all three per GPU x the central GPU count (the count's uncertainty is gpu_count's). Prefill {h['prefill_tokens_per_s']['value']} tokens/s: GPUs x 989.4 "
        f"TFLOP/s dense BF16 (NVIDIA) x 40 % utilisation (Meta, Llama 3 paper 2024: 38-43 % MFU on H100) / (2 x active "
        f"parameters), stated at the decode power (x {fmt(sig3(ratio))}, prefill drawing the 700 W TDP); low "
        f"{h['prefill_tokens_per_s']['low']} (20 % utilisation, an assumption: half the centre, no measurement of "
        f"production prefill utilisation found; high active), high {h['prefill_tokens_per_s']['high']} (43 %, Meta; low "
        f"active). Efficiency {h['efficiency']['value']}: Google Aug 2025 (arXiv 2508.15734) median Gemini prompt, busy "
        f"0.14 + 0.06 Wh over 0.22 Wh with idle machines; low {h['efficiency']['low']} (assumption: twice Google's idle "
        f"share, 0.20 / 0.24; no measurement of a less utilised fleet found), high {h['efficiency']['high']} (EcoLogits "
        f"charges no idle time). Embodied {h['embodied_kgco2e']['value']} kgCO2e: "
        f"GPUs x 273 kg (EcoLogits 0.11 H100) + GPUs/8 x 5,700 kg (EcoLogits server without GPUs); low "
        f"{h['embodied_kgco2e']['low']} (x 164 kg, NVIDIA HGX H100 product carbon footprint, at the low GPU count), high "
        f"{h['embodied_kgco2e']['high']} (273 kg at the high count). Lifetime {h['lifetime_years']['value']} years "
        f"(EcoLogits 0.10+), low {h['lifetime_years']['low']} (assumption: accelerators replaced a generation early, no "
        f"published figure found), high {h['lifetime_years']['high']} (Amazon 2024 Form 10-K, Feb 2025: a subset of its "
        f"servers' useful life shortened from 6 to 5 years from 2025 for the pace of AI and machine learning; "
        f"Alphabet's and Microsoft's 6 years, set in 2022-2023, predate that reversal). Cached input {h['cached_input_fraction']['value']} "
        f"of a prefill token: {cache_source}; a price ratio is an upper bound of the compute saved (prefix caching "
        f"skips the cached tokens' prefill; the price also pays KV-cache storage), range "
        f"{h['cached_input_fraction']['low']} (lowest provider ratio) to {h['cached_input_fraction']['high']} "
        f"(highest, OpenAI GPT-4o)."
    )
    shown = {"total": total, "active": active, "bits": bits, "gpus": n,
             "energy_wh": gpu_energy_wh_per_token(a_value), "latency_s": latency_s_per_token(a_value),
             "ratio": ratio, "decode_power_w": decode_power, "prefill_power_w": prefill_power}
    return {"name": name, "name_fr": name_fr, **hypotheses, "procurement": inp.procurement(code), "source": source}, shown


# --- Regions ----------------------------------------------------------------------------------------------

def region_entry(code: str) -> dict:
    name, name_fr, ember, eco11, zone, emaps, water, water_iso = inp.REGIONS[code]
    figures = [x for x in (ember, eco11, *emaps.values()) if x is not None]
    # The central value is the median of the series' figures, not one series' figure: with the lowest of
    # them as centre (EcoLogits' in 11 regions), the 90 % interval of carbon sat above the central value.
    value = statistics.median(figures)
    carbon = {"value": float(value), "low": float(min(figures)), "high": float(max(figures))}
    parts = []
    if eco11 is not None:
        parts.append(f"{inp.ECOLOGITS_011_SOURCE} {fmt(eco11)}")
    if ember is not None:
        parts.append(f"{inp.EMBER_SOURCE} {fmt(ember)}")
    if emaps:
        parts.append(f"{inp.EMAPS_SOURCE}, zone {zone}: " + ", ".join(f"{y} {fmt(v)}" for y, v in emaps.items()))
    central = f"the median of these {len(figures)} figures"
    water_note = inp.ECOLOGITS_WATER.format(iso=water_iso)
    if code.startswith("us-"):
        water_note += " (national figure: no subregional one)"
    if code == "singapore":
        water_note += " (Singapore is not in the table: the world figure as neighbour)"
    pue, wue = inp.PUE, inp.WUE
    source = (
        f"Carbon intensity, life cycle throughout: {'; '.join(parts)}. Central {fmt(value)} ({central}); low "
        f"{fmt(carbon['low'])} and high {fmt(carbon['high'])}: the lowest and highest of these life-cycle figures. "
        f"{market_source(code)} "
        f"PUE {fmt(pue['value'][0])} ({pue['value'][1]}), low {fmt(pue['low'][0])} ({pue['low'][1]}), high "
        f"{fmt(pue['high'][0])} ({pue['high'][1]}). "
        f"WUE {fmt(wue['value'][0])} L/kWh ({wue['value'][1]}), low {fmt(wue['low'][0])} ({wue['low'][1]}), high "
        f"{fmt(wue['high'][0])} ({wue['high'][1]}). "
        f"Water intensity {fmt(water)} L/kWh: {water_note}; a single figure (one source only, its range not assessed)."
    )
    market = market_factor(code)
    return {"name": name, "name_fr": name_fr,
            "pue": {b: float(pue[b][0]) for b in BOUNDS}, "carbon_intensity": carbon,
            **({"carbon_intensity_market": market} if market else {}),
            "wue": {b: float(wue[b][0]) for b in BOUNDS}, "water_intensity": float(water), "source": source}


# --- Usage profiles -----------------------------------------------------------------------------------------

def profile_entries() -> dict[str, dict]:
    chatbot = inp.CHATBOT_TOKENS
    entries = {}
    for code, (name, name_fr, model, tokens, aliases, counts) in inp.PROFILES.items():
        tokens = tokens or chatbot
        entries[code] = _profile(name, name_fr, model, tokens, aliases, counts)
    for code, (model, aliases) in inp.MODEL_PROFILES.items():
        model_name, model_name_fr = inp.MODELS[model][:2]
        label = {"deepseek-r1": ("DeepSeek-R1", "DeepSeek-R1"), "deepseek-v3": ("DeepSeek-V3", "DeepSeek-V3"),
                 "llama-3-1-405b": ("Llama 3.1 405B", "Llama 3.1 405B")}.get(code, (model_name, model_name_fr))
        counts = (f"A request to {label[0]} through its provider's API or a host of the open weights. Aliases: the "
                  f"model ids the provider publishes (the OpenAI reader also matches an id without its -YYYY-MM-DD "
                  f"date suffix; other dated ids are listed). The usage reports of OpenAI and Anthropic give token "
                  f"counts (reasoning tokens are inside the output tokens); these typical sizes only fill in where "
                  f"a count is missing, and understate a reasoning model's output.")
        entries[code] = _profile(f"{label[0]} request", f"Requête {label[1]}", model, chatbot, aliases, counts)
    return entries


def _profile(name, name_fr, model, tokens, aliases, counts) -> dict:
    entry = {"name": name, "name_fr": name_fr, "model": model}
    texts = []
    for key in ("input_tokens", "output_tokens"):
        (value, low, high), text = tokens[key]
        entry[key] = {"value": float(value), "low": float(low), "high": float(high)}
        texts.append(f"{text}: {fmt(value)} (low {fmt(low)}, high {fmt(high)}).")
    if aliases:
        entry["aliases"] = aliases
    entry["source"] = f"{counts} " + " ".join(texts)
    return entry


# --- Writing ------------------------------------------------------------------------------------------------

def _scalar(text: str) -> str:
    import json
    plain = text and all(c.isalnum() or c in "._/- ()'" for c in text) and text[0].isalnum()
    return text if plain else json.dumps(text, ensure_ascii=False)


def _range(bounds: dict) -> str:
    return "{" + ", ".join(f"{b}: {fmt(bounds[b])}" for b in BOUNDS) + "}"


def _folded(text: str, indent: str = "      ", width: int = 112) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(indent) + len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(indent + part for part in lines)


def _entry_yaml(code: str, entry: dict) -> str:
    out = [f"  {code}:"]
    for key, value in entry.items():
        if key == "source":
            out.append("    source: >-\n" + _folded(value))
        elif isinstance(value, dict):
            out.append(f"    {key}: {_range(value)}")
        elif isinstance(value, list):
            out.append(f"    {key}: [" + ", ".join(_scalar(v) for v in value) + "]")
        elif isinstance(value, float):
            out.append(f"    {key}: {fmt(value)}")
        else:
            out.append(f"    {key}: {_scalar(value)}")
    return "\n".join(out)


REGIONS_HEADER = """\
# Regions: where inference runs. Methodology version 2 (docs/methodology.md section 7; the figures and
# their sources: docs/derivation_inputs.py; written by docs/derivation.py, do not edit by hand).
# pue: datacenter power usage effectiveness (dimensionless).
# carbon_intensity: location-based life-cycle grid emission factor, gCO2e/kWh (one system boundary throughout).
# wue: on-site water usage effectiveness, L per kWh of IT energy; water_intensity: L consumed per kWh generated.
# carbon_intensity_market: market-based factor, AIB's residual mix, direct CO2 (gCO2/kWh), where sourced; absent:
# not assessed (docs/derivation.md section 1.3).
"""
MODELS_HEADER = """\
# Model profiles (a model served on given hardware) and usage profiles (a kind of generative-AI usage
# counted by the analytics, or a provider's model called by name). Methodology version 2, written by
# docs/derivation.py from docs/derivation_inputs.py (do not edit by hand; the arithmetic: docs/derivation.md).
# Throughputs are AGGREGATE tokens/s of one replica at its normal serving concurrency (batch 64).
# efficiency (eta) is the share of the replica's powered-on time spent serving requests.
# embodied_kgco2e: manufacturing footprint of one replica's hardware (GPUs + its share of the server).
# cached_input_fraction: what a cached input token costs, as a share of a prefill token.
"""


def regions_yaml() -> str:
    body = "\n".join(_entry_yaml(code, region_entry(code)) for code in inp.REGIONS)
    return f"{REGIONS_HEADER}default_region: {inp.DEFAULT_REGION}\nregions:\n{body}\n{inp.EQUIVALENTS_YAML}"


def models_yaml() -> str:
    models = "\n".join(_entry_yaml(code, model_entry(code)[0]) for code in inp.MODELS)
    profiles = "\n".join(_entry_yaml(code, entry) for code, entry in profile_entries().items())
    return f"{MODELS_HEADER}models:\n{models}\nprofiles:\n{profiles}\n"


# --- docs/derivation.md -------------------------------------------------------------------------------------

def central_wh(model_code: str, input_tokens: float, output_tokens: float, pue: float) -> tuple[float, str]:
    """Energy of one inference at central values [Wh], by the formulas of methodology.md section 3, shown."""
    m = model_entry(model_code)[0]
    power = m["gpu_count"]["value"] * m["gpu_power_w"]["value"] + m["host_power_w"]["value"]
    busy = input_tokens / m["prefill_tokens_per_s"]["value"] + output_tokens / m["decode_tokens_per_s"]["value"]
    wh = pue * power * busy / m["efficiency"]["value"] / 3600
    shown = (f"{fmt(pue)} x ({fmt(m['gpu_count']['value'])} x {fmt(m['gpu_power_w']['value'])} W + "
             f"{fmt(m['host_power_w']['value'])} W) x ({fmt(input_tokens)} / {fmt(m['prefill_tokens_per_s']['value'])} + "
             f"{fmt(output_tokens)} / {fmt(m['decode_tokens_per_s']['value'])}) s / {fmt(m['efficiency']['value'])} / 3600 "
             f"= {wh:.3f} Wh")
    return wh, shown


def derivation_md() -> str:
    """docs/derivation.md: the arithmetic from the sources to each figure of config/."""
    return "\n".join(_regions_md() + _models_md() + _answer_and_profiles_md())


def _regions_md() -> list[str]:
    lines = [
        "# How methodology version 2 is derived",
        "",
        "Written by `docs/derivation.py` from the published figures of `docs/derivation_inputs.py` (each with its",
        "source); the same script writes `config/`. Do not edit by hand: change a figure there, with its source,",
        "and run `.venv/bin/python docs/derivation.py` (`--check` says whether all three files are up to date; a test",
        "runs it). Derived numbers are rounded to three significant figures.",
        "",
        "**Ranges describe the uncertainty of the annual average, not the spread of single requests.** A",
        "hypothesis stands for an average over a year of requests (a profile's tokens per inference, a fleet's",
        "host draw, its idle share, its prefill utilisation): its `low` and `high` are the plausible interval of",
        "that average, each end named in the entry's `source`, inside one system boundary, with the central",
        "`value` where its source puts it. A 100-token and a 10,000-token prompt both occur, but the average of a",
        "year of a profile's prompts is not uncertain by a factor 100. Where no publication gives a bound, the",
        "bound is an assumption, written as one and kept moderate (a profile's average tokens within a factor",
        "1.5; an idle share twice Google's; a prefill utilisation half the centre's; a service life a year",
        "shorter). Two independent uncertainties are not put at their ends together inside one hypothesis (the",
        "GPU count's high is 16-bit weights *or* the largest size, the host draw is per GPU at the central GPU",
        "count): both ends at once is what the worst case (methodology.md section 6) does across hypotheses.",
        "So the Monte Carlo's 90 % interval (section 11), the headline range of every page, holds the central",
        "value: a test checks, for every usage profile's typical case in the default region, that the central",
        "energy lies between P5 and P95 and the median within a factor 1.5 of it.",
        "",
        "Carbon: a region's central grid factor is the median of its life-cycle series (below), not one",
        "series' figure; with EcoLogits' figure as centre, the lowest of its series in 11 of 27 regions, the",
        "central carbon of the most skewed profiles sat up to 13 % below P5. With the median, 29 of 945",
        "(region, profile) cases remain below P5, by at most 7 %: the profiles whose energy is itself near its P5",
        "(completion, Mistral Small, DeepSeek-V3 and R1), in regions whose series are skewed upward (Canada,",
        "Poland, India ...). The central value is every hypothesis at its value (the mode of each triangle), not",
        "the median of the result, which the pages give as P50. Water is not yet so: WUE's high, 1.8 L/kWh,",
        "is the industry's average, not a serving fleet's (Microsoft reported 0.49 L/kWh for 2021, above 1 in",
        "Asia-Pacific), so the central water of the profiles with the most skewed energy sits up to 10 % below",
        "P5. It needs a sourced per-region WUE rather than a bound moved to fit; the PUE's high (1.56, the",
        "industry's average) is the same population question, kept as sourced.",
        "",
        "## 1. Regions",
        "",
        "### 1.1 Carbon intensity (location-based, life cycle)",
        "",
        "One system boundary: life-cycle factors only (upstream fuel and plant construction included). Version 1",
        "mixed RTE's direct-combustion France figure (21.7) and IEA's CO2-only world figure (445) into life-cycle",
        "ranges; version 2 drops them. The central value is the median of the region's figures below (Ember,",
        "EcoLogits 0.10-0.11 where the version-2 issue gives it, Electricity Maps 2023-2025: one estimate per",
        "series and year, none preferred); low and high are the lowest and highest of Ember, EcoLogits 0.10-0.11 and Electricity Maps",
        "2023-2025 (consumption-based: imports included). The US subregions are Electricity Maps balancing",
        "authorities, not eGRID subregions: eGRID's output rates are combustion-only, another boundary.",
        "",
        "| region | value | low | high | Ember | EcoLogits 0.10-0.11 | Electricity Maps 2023 / 2024 / 2025 |",
        "|---|---|---|---|---|---|---|",
    ]
    for code in inp.REGIONS:
        c = region_entry(code)["carbon_intensity"]
        name, _fr, ember, eco11, zone, emaps, *_ = inp.REGIONS[code]
        em = " / ".join(fmt(v) for v in emaps.values()) + (f" ({zone})" if zone else "") if emaps else "-"
        lines.append(f"| `{code}` | {fmt(c['value'])} | {fmt(c['low'])} | {fmt(c['high'])} | "
                     f"{fmt(ember) if ember is not None else '-'} | {fmt(eco11) if eco11 is not None else '-'} | {em} |")
    return lines + _region_notes_md()


def _region_notes_md() -> list[str]:
    """Section 1's notes: the series, PUE and water, the market-based factor."""
    return [
        "",
        "EcoLogits 0.10-0.11's six figures are those of the version-2 issue's audit: the EcoLogits snapshot",
        "available here (Nov 2025) still ships the 0.9 mixes (equal to Ember's column), so they could not be",
        "re-read at the source; the range around each holds the other two series.",
        "",
        "### 1.2 PUE, WUE, water intensity",
        "",
        f"PUE {fmt(inp.PUE['value'][0])} ({inp.PUE['value'][1]}), {fmt(inp.PUE['low'][0])} ({inp.PUE['low'][1]}) to "
        f"{fmt(inp.PUE['high'][0])} ({inp.PUE['high'][1]}); WUE {fmt(inp.WUE['value'][0])} L/kWh ({inp.WUE['value'][1]}), "
        f"{fmt(inp.WUE['low'][0])} ({inp.WUE['low'][1]}) to {fmt(inp.WUE['high'][0])} ({inp.WUE['high'][1]}). The same",
        "for every region: no provider's per-region figure was verified. The grid's water intensity has one source",
        "(EcoLogits' table of WRI figures, national; the world figure for Singapore, which it lacks): a single",
        "figure, its uncertainty not assessed.",
        "",
    ] + market_md()


def _models_md() -> list[str]:
    e8 = gpu_energy_wh_per_token(8.03) * 3600  # J per output token, Llama-3.1-8B on one H100
    lines = [
        "## 2. Models",
        "",
        "Procurement (methodology.md section 13): the open-weight classes (" + ", ".join(
            f"`{c}`" for c in inp.OPEN_WEIGHT_CLASSES) + ") are `cloud` (rented GPUs,",
        "Scope 3 category 1); every other class, reached through its provider's API, and `generic` (a usage",
        "report's unknown models) are `api_service`. A team serving a model on its own hardware declares",
        "`own_datacentre` (Scope 2 for the electricity, Scope 3 category 2 for the hardware) in a new version.",
        "",
        "### 2.1 Formulas",
        "",
        "Decode (output tokens) follows EcoLogits' regressions, fitted on ML.ENERGY leaderboard measurements",
        "(H100 80GB, vLLM) at a batch of 64 concurrent requests, for `A` billion active parameters:",
        "",
        "- GPU energy per output token per GPU [Wh] = α·e^(64β)·A + γ, α = 1.1665e-06, β = -0.011206, γ = 4.0529e-05;",
        "- time per output token of one request [s] = 6.785e-04·A + 3.119e-04·64 + 0.019474;",
        "- decode throughput of the replica = 64 / time per token; GPU power = energy per token × 3600 × throughput;",
        "- GPUs = 2^⌈log2 ⌈1.2 × total × bits / 8 / 80 GB⌉⌉ (EcoLogits' rule; MoE: the total parameters set the",
        "  memory, the active ones the compute). Bits: 16 for open weights as published (BF16); 8 at the centre",
        "  for providers' hosted models of undisclosed size (DeepSeek-V3 publishes FP8 weights, OpenAI's open",
        "  gpt-oss MXFP4: providers serve quantised). Low and high: FP8 or 16-bit weights at the central size, or",
        "  the size's low or high bound at the central precision, whichever reaches further (one at a time);",
        f"- host = 1,200 W per 8-GPU server = {fmt(HOST_W_PER_GPU)} W per GPU (EcoLogits); low: Google's",
        "  measured host/accelerator energy ratio 0.06 / 0.14 × the GPU power; high 0.7 × (10,200 − 8 × 700) / 8 =",
        f"  {fmt(HOST_HIGH_W_PER_GPU)} W per GPU (NVIDIA DGX H100 rating at Epoch AI's 70 % of rated power); all three",
        "  per GPU × the central GPU count (the count's own uncertainty is `gpu_count`'s, not counted twice);",
        "- GPU power: the regressions' over the model's active range. The 700 W TDP is no bound of the mean",
        "  draw here: ML.ENERGY's measured energy per token, which the decode range spans, already bounds",
        "  power × time (counting both would count the software vintage twice).",
        "",
        f"Serving software: EcoLogits' fit gives {e8:.4f} J per output token for Llama-3.1-8B on one H100; ML.ENERGY",
        f"measures about 0.12 J (leaderboard v3, 2025, newer vLLM) and 0.20 J (v2, 2024). The decode range",
        f"multiplies the throughput by {e8:.4f} / 0.12 = {SOFTWARE_NEW:.3f} (high) and {e8:.4f} / 0.20 = "
        f"{SOFTWARE_OLD:.3f} (low): the software vintage, which alone moves throughput 3-5x on some models.",
        "Serving software: vLLM, as ML.ENERGY's leaderboard runs it; the vLLM release of each leaderboard",
        "vintage (v2, 2024; v3, 2025) could not be read at the source here, so the vintage is named by the",
        "leaderboard's version, not by vLLM's.",
        "",
        "Prefill (input tokens) is compute-bound: GPUs × 989.4 TFLOP/s (H100 SXM dense BF16) × utilisation /",
        "(2 × A × 10^9), utilisation 0.40 (Meta, Llama 3 paper, 2024: 38-43 % MFU on H100), high 0.43 (Meta), low",
        "0.20: an assumption, half the centre (no measurement of production prefill utilisation was found).",
        "Epoch AI's 10 % (Feb 2025), the low bound before, is the utilisation of a whole query, memory-bound",
        "decode included: another quantity than the prefill's. The engine charges one power for both phases; prefill runs near the 700 W TDP, so",
        "the prefill throughput is stated at the decode power: × (decode power / prefill power), which keeps the",
        "energy of a prefill token at prefill power / raw throughput.",
        "",
        f"Efficiency: Google's median Gemini prompt (Aug 2025), (0.14 + 0.06) / (0.14 + 0.06 + 0.02) = {EFFICIENCY:.3f}",
        f"→ 0.909 (version 1's 0.5 contradicted this source). Low: an assumption, a fleet idle twice Google's share,",
        f"0.20 / (0.20 + 2 × 0.02) = {EFFICIENCY_LOW:.3f} → {fmt(sig3(EFFICIENCY_LOW))}; no measurement of a less utilised fleet was found,",
        "and version 1's 0.5 (unsourced) is no longer a bound. High 1 (EcoLogits charges no idle time).",
        "",
        "Service life 3 years (EcoLogits 0.10+); high 5 (Amazon 2024 Form 10-K, Feb 2025: a subset of its servers'",
        "useful life shortened from 6 to 5 years from 2025, for the pace of AI and machine learning; Alphabet's",
        "and Microsoft's 6 years, set in 2022-2023, predate that reversal); low 2, an assumption (accelerators",
        "replaced a generation early).",
        "",
        "### 2.2 Per model",
        "",
        "| model | total B | active B | bits | GPUs (low-high) | Wh/token/GPU | s/token | decode tok/s | GPU W | host W | prefill tok/s | × power | cached |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code in inp.MODELS:
        m, s = model_entry(code)
        g = s["gpus"]
        lines.append(
            f"| `{code}` | {'-'.join(dict.fromkeys(fmt(x) for x in (s['total'][1], s['total'][2])))} | "
            f"{fmt(s['active'][0])} ({fmt(s['active'][1])}-{fmt(s['active'][2])}) | {s['bits']} | "
            f"{g['value']} ({g['low']}-{g['high']}) | {s['energy_wh']:.3e} | {s['latency_s']:.4f} | "
            f"{fmt(m['decode_tokens_per_s']['value'])} ({fmt(m['decode_tokens_per_s']['low'])}-{fmt(m['decode_tokens_per_s']['high'])}) | "
            f"{fmt(m['gpu_power_w']['value'])} | {fmt(m['host_power_w']['value'])} | "
            f"{fmt(m['prefill_tokens_per_s']['value'])} ({fmt(m['prefill_tokens_per_s']['low'])}-{fmt(m['prefill_tokens_per_s']['high'])}) | "
            f"{s['ratio']:.3f} | {fmt(m['cached_input_fraction']['value'])} |")
    return lines


def _answer_and_profiles_md() -> list[str]:
    (i_v, _, _), _t = inp.CHATBOT_TOKENS["input_tokens"]
    (o_v, _, _), _t = inp.CHATBOT_TOKENS["output_tokens"]
    pue = inp.PUE["value"][0]
    wh70, shown70 = central_wh("llm-large-4xh100", i_v, o_v, pue)
    wh8, shown8 = central_wh("llm-small-1xh100", 300, 50, pue)
    lines = [
        "",
        "## 3. The central chatbot answer",
        "",
        "Energy of one `chatbot` inference at central values (methodology.md section 3: PUE × power × busy time /",
        "efficiency):",
        "",
        f"    {shown70}",
        "",
        f"and one `completion`: {shown8}.",
        "",
        "The measured band for one text answer, all data-centre overheads included, is 0.24 Wh (Google's median",
        "Gemini prompt, Aug 2025) to 0.45 Wh (Jegham et al. 2025, GPT-4o), with OpenAI's 0.34 Wh and Epoch AI's",
        "0.3 Wh inside it; a test keeps the central chatbot answer in [0.24, 0.45] Wh. docs/anchors.md puts every",
        "anchor beside this version's figure for the same case.",
        "",
        "## 4. Usage profiles and aliases",
        "",
        "The five profiles of version 1 keep their codes; `chatbot`'s token sizes are now sourced, the other four",
        "keep version 1's sizes, which are the methodology owner's assumptions (no publication measures them; the",
        "`source` says so). Their ranges are those of a year's average (see the top of this page): the chatbot's",
        "output 400 tokens, 300 (Jegham et al. 2025's short query) to 500 (Epoch AI's typical query, Feb 2025);",
        "every other bound an assumption, the average within a factor 1.5 (version 2's first 100-10,000 input",
        "tokens were the spread of single prompts). Each model class has a usage profile of the same code",
        "(DeepSeek-R1 a second one on DeepSeek-V3's class) whose `aliases` are the model ids its provider publishes; their token sizes are the",
        "chatbot's, used only where a report gives no token count. The OpenAI reader matches an alias exactly or",
        "the id without a `-YYYY-MM-DD` suffix (`gpt-4.1` matches `gpt-4.1-2025-04-14`); other dated ids",
        "(Anthropic's `-YYYYMMDD`, Mistral's `-YYMM`) are listed one by one. The profile `generic` on the model",
        "class `generic` is what `unknown_models=generic` maps an unknown model to.",
        "",
    ]
    return lines


def outputs() -> dict[Path, str]:
    return {CONFIG / "config.yaml": regions_yaml(), CONFIG / "config_model.yaml": models_yaml(),
            HERE / "derivation.md": derivation_md()}


def main(argv: list[str]) -> int:
    stale = []
    for path, text in outputs().items():
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(HERE.parent)))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python docs/derivation.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
