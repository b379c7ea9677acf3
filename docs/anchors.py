"""The anchors page: published figures beside this version's figure for the same case, written from config/.

    .venv/bin/python docs/anchors.py           # rewrite docs/anchors.md
    .venv/bin/python docs/anchors.py --check   # exit 1 if docs/anchors.md differs (a test runs this)

Each case goes through the engine (`calculations.engine`: the formulas of methodology.md, plain Python) on
the shipped config/: one inference with the anchor's token counts (fixed, as explicit counts are), its
central value, its worst-case range (exact bounds, section 6) and its Monte Carlo P5-P95 (section 11, the
project's seed). The anchors themselves, their scope and why they differ are written here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from calculations.engine.analytics import Cell  # noqa: E402
from calculations.engine.compute import compute  # noqa: E402
from calculations.engine.config import load_config_dir  # noqa: E402
from calculations.engine.uncertainty import simulate  # noqa: E402

PAGE = HERE / "anchors.md"
DAY = date(2025, 1, 1)


@dataclass(frozen=True)
class Anchor:
    source: str
    figure: str  # as published
    low: float  # the published figure (or its range) in the unit of `measure`
    high: float
    scope: str
    profile: str  # our case: usage profile, tokens (None: the profile's typical sizes), region
    input_tokens: int | None
    output_tokens: int | None
    region: str
    measure: str  # "Wh", "J/token GPU", "gCO2e life cycle", "mL"
    why: str


ANCHORS = (
    Anchor("Google, Aug 2025 (arXiv 2508.15734)", "0.24 Wh, median Gemini Apps text prompt", 0.24, 0.24,
           "all overheads (accelerators, host, idle, data centre)", "gemini-2-5-flash", None, None, "usa", "Wh",
           "Google measures its TPU fleet serving its own models, at its own batch sizes, for a median prompt whose "
           "tokens it does not publish (Flash-class models serve most Gemini Apps traffic). Ours is a GPU model of an "
           "undisclosed size estimate (EcoLogits: 440B total, 44-132B active) at the chatbot's typical 1,000 input and "
           "400 output tokens; the median prompt is probably shorter."),
    Anchor("OpenAI (S. Altman), June 2025", "0.34 Wh, average ChatGPT query", 0.34, 0.34,
           "statement, no method published", "gpt-4o", None, None, "usa", "Wh",
           "An average over ChatGPT's model mix and query sizes, without method; ours is GPT-4o alone at the chatbot's "
           "typical sizes."),
    Anchor("Epoch AI, Feb 2025", "0.3 Wh, typical GPT-4o query (500 output tokens)", 0.3, 0.3,
           "estimate, PUE 1.2 included", "gpt-4o", 100, 500, "usa", "Wh",
           "Epoch assumes about 100B active parameters at 10 % utilisation and 1,275 W per H100 with its server share "
           "at 70 %; ours takes EcoLogits' measured energy per token at the estimated 88B active, with 8 GPUs for "
           "440B total. Input assumed short (100 tokens)."),
    Anchor("Epoch AI, Feb 2025", "about 2.5 Wh with a 10k-token input", 2.5, 2.5,
           "estimate, PUE 1.2 included", "gpt-4o", 10000, 500, "usa", "Wh",
           "Epoch counts attention over a long context, growing faster than linearly; our prefill is linear in tokens "
           "(methodology.md section 3), which understates very long inputs."),
    Anchor("EcoLogits 0.11.3", "0.239-0.250 Wh, 70B dense, 400 output tokens", 0.239, 0.250,
           "model fitted on ML.ENERGY, output tokens only, PUE 1.09-1.14", "chatbot", 0, 400, "usa", "Wh",
           "Same decode regressions; ours adds idle time (efficiency 0.909, EcoLogits none) and PUE 1.15."),
    Anchor("EcoLogits 0.11.3", "0.58-0.96 Wh, gpt-4o, 400 output tokens", 0.58, 0.96,
           "as above", "gpt-4o", 0, 400, "usa", "Wh",
           "Same size estimate and regressions; ours puts a hosted model's weights in 8 bits at the centre (8 GPUs, "
           "EcoLogits 16 bits), and adds idle time."),
    Anchor("EcoLogits 0.11.3", "0.54-0.85 Wh, gpt-4.1, 400 output tokens", 0.54, 0.85,
           "as above", "gpt-4-1", 0, 400, "usa", "Wh", "As for gpt-4o."),
    Anchor("EcoLogits 0.11.3", "0.07-0.22 Wh, gpt-4.1-mini, 400 output tokens", 0.07, 0.22,
           "as above", "gpt-4-1-mini", 0, 400, "usa", "Wh", "As for gpt-4o."),
    Anchor("EcoLogits 0.11.3", "1.15 Wh, mistral-large, 400 output tokens", 1.15, 1.15,
           "as above", "mistral-large", 0, 400, "france", "Wh",
           "A figure we could not reproduce: EcoLogits' own regressions give about 0.3 Wh for a 123B dense model on 4 "
           "GPUs at PUE 1.09 (ours 0.385 Wh adds idle time and PUE 1.15); the anchor does not say which model size "
           "EcoLogits 0.11.3 used for mistral-large."),
    Anchor("EcoLogits 0.11.3", "0.54-0.89 Wh, gemini-2.5-flash, 400 output tokens", 0.54, 0.89,
           "as above", "gemini-2-5-flash", 0, 400, "usa", "Wh", "As for gpt-4o."),
    Anchor("EcoLogits 0.11.3", "0.58-0.97 Wh, claude-sonnet-4.5, 400 output tokens", 0.58, 0.97,
           "as above", "claude-sonnet", 0, 400, "usa", "Wh", "As for gpt-4o."),
    Anchor("EcoLogits 0.11.3", "0.0041-0.0042 Wh, 8B dense, 50 output tokens", 0.0041, 0.0042,
           "as above", "completion", 0, 50, "usa", "Wh", "Same regressions; ours adds idle time and PUE 1.15."),
    Anchor("Jegham et al. 2025, 'How Hungry is AI?'", "0.237 Wh, Llama-3.3-70B, short query", 0.237, 0.237,
           "inferred from API latency and assumed hardware, all overheads", "chatbot", 100, 300, "usa", "Wh",
           "Jegham infers GPU time from each API's latency and throughput, with assumed power and PUE; short query "
           "taken as 100 input and 300 output tokens."),
    Anchor("Jegham et al. 2025", "0.453 Wh, GPT-4o, short query", 0.453, 0.453,
           "as above", "gpt-4o", 100, 300, "usa", "Wh", "As above."),
    Anchor("Jegham et al. 2025", "0.872 Wh, GPT-4.1, short query", 0.872, 0.872,
           "as above", "gpt-4-1", 100, 300, "usa", "Wh",
           "As above; API latency charges GPT-4.1 its provider's serving choices, which our size estimate cannot see."),
    Anchor("Jegham et al. 2025", "0.052 Wh, Llama-3.1-8B, short query", 0.052, 0.052,
           "as above", "completion", 100, 300, "usa", "Wh", "As above."),
    Anchor("arXiv 2509.20241 (2025)", "0.34 Wh median (IQR 0.18-0.67), models above 200B on H100", 0.18, 0.67,
           "model of production-like serving", "claude-sonnet", None, None, "usa", "Wh",
           "A median over many large models and prompts; ours is one 440B MoE class at the chatbot's typical sizes. The "
           "interquartile range spreads single models and prompts; our ranges are the uncertainty of one class's "
           "average over a year of requests (docs/derivation.md), so they need not reach its lower quartile."),
    Anchor("ML.ENERGY leaderboard (v3 2025, v2 2024)", "0.12-0.20 J per output token, Llama-3.1-8B on H100, batch 64",
           0.12, 0.20, "GPU only, measured", "completion", None, None, "usa", "J/token GPU",
           "Our decode range is built on these two measurements (docs/derivation.md section 2.1)."),
    Anchor("Mistral AI, Large 2 life-cycle analysis, July 2025", "1.14 gCO2e per 400-token Le Chat answer", 1.14, 1.14,
           "life cycle, upstream included", "mistral-large", 0, 400, "france", "gCO2e life cycle",
           "Mistral's LCA counts the whole chain (data-centre construction, network, its own server fleet and their "
           "manufacturing, with its allocation); ours is electricity (life-cycle grid factor) plus GPU and server "
           "manufacturing only: a narrower boundary, hence far lower."),
    Anchor("Mistral AI, Large 2 life-cycle analysis, July 2025", "45 mL water per 400-token answer", 45, 45,
           "life cycle, upstream included", "mistral-large", 0, 400, "france", "mL",
           "Same boundary difference: Mistral includes the water of manufacturing; ours is on-site cooling and the "
           "grid's generation water."),
)


def _measure(anchor: Anchor, parameters) -> tuple[float, float, float, tuple[float, float] | None]:
    """(central, low, high, (P5, P95) or None) of our figure for the anchor's case."""
    if anchor.measure == "J/token GPU":
        model = parameters.models[parameters.profiles[anchor.profile].model]
        per = [model.gpu_count.at(b) * model.gpu_power_w.at(b) / model.decode_tokens_per_s.at(d)
               for b, d in (("value", "value"), ("low", "high"), ("high", "low"))]
        return per[0], per[1], per[2], None
    cells = [Cell(DAY, anchor.profile, 1, anchor.input_tokens, anchor.output_tokens)]
    result = compute(cells, parameters, anchor.region)
    uncertainty = simulate(cells, parameters, result)
    key, scale = {"Wh": ("energy_kwh", 1000), "gCO2e life cycle": ("carbon_total_gco2e", 1),
                  "mL": ("water_l", 1000)}[anchor.measure]
    estimate = getattr(result.totals, key)
    interval = uncertainty.totals[key]
    return (estimate.value * scale, estimate.low * scale, estimate.high * scale,
            (interval.p5 * scale, interval.p95 * scale) if interval else None)


def _n(number: float) -> str:
    return f"{number:.3g}"


def page() -> str:
    parameters = load_config_dir(HERE.parent / "config")
    lines = [
        "# Anchors: published figures beside methodology version 2",
        "",
        "Written by `docs/anchors.py` from the shipped `config/` through the engine; do not edit by hand",
        "(`.venv/bin/python docs/anchors.py`; a test fails when this page differs from what the script writes).",
        f"Version computed: config/ with SHA-256 `{parameters.sha256[:16]}…`.",
        "",
        "Each row is one inference of our case (usage profile, tokens, region) beside the published figure:",
        "our central value, our worst-case range (every hypothesis at the bound that lowers, then raises, the",
        "result: methodology.md section 6) and the Monte Carlo's P5-P95 (section 11, 20,000 draws, seed 5001).",
        "Tokens in parentheses are explicit counts (fixed in the Monte Carlo); \"typical\" means the profile's",
        "sizes (1,000 input, 400 output for the chatbot-sized profiles). Our energy is the facility's, idle",
        "time and PUE included, so it compares with \"all overheads\" figures; a GPU-only anchor is compared",
        "with our GPU energy per output token; a life-cycle anchor with our electricity plus embodied carbon.",
        "",
        "| anchor | published | scope | our case | ours: central | worst-case range | P5-P95 | range covers it | central / anchor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for number, anchor in enumerate(ANCHORS, 1):
        central, low, high, interval = _measure(anchor, parameters)
        tokens = ("typical" if anchor.input_tokens is None
                  else f"{anchor.input_tokens} in, {anchor.output_tokens} out")
        covered = "yes" if float(_n(low)) <= anchor.low and anchor.high <= float(_n(high)) else "no"
        ratio = central / ((anchor.low + anchor.high) / 2)
        lines.append(
            f"| {number}. {anchor.source} | {anchor.figure} | {anchor.scope} | `{anchor.profile}` ({tokens}), "
            f"{anchor.region} | {_n(central)} {anchor.measure} | {_n(low)}-{_n(high)} | "
            f"{_n(interval[0]) + '-' + _n(interval[1]) if interval else 'not computed'} | {covered} | {ratio:.2f} |")
        notes.append(f"{number}. {anchor.why}")
    gpt4o = _measure(ANCHORS[1], parameters)[0]
    lines += [
        "",
        "## Why they differ",
        "",
        *notes,
        "",
        "## Reading the table",
        "",
        "- The central chatbot answer (70B class, 1,000 input and 400 output tokens) is checked by",
        "  `tests/config/test_shipped_config.py` to lie in the measured band of one text answer with all",
        "  overheads, 0.24 Wh (Google) to 0.45 Wh (Jegham et al., GPT-4o), OpenAI's 0.34 Wh and Epoch AI's 0.3 Wh",
        "  inside it.",
        f"- GPT-4o at the chatbot's typical sizes ({_n(gpt4o)} Wh) against the spread of GPT-4o's anchors: 0.3 Wh",
        "  (Epoch AI), 0.34 Wh (OpenAI, ChatGPT's mix), 0.45 Wh (Jegham et al.) to 0.58-0.96 Wh (EcoLogits).",
        "- Hosted frontier models (GPT-4o, GPT-4.1, Gemini 2.5 Flash, Claude Sonnet) come out above the",
        "  measured figures of Google, OpenAI and Epoch AI and inside or near EcoLogits' ranges: their sizes are",
        "  estimates (EcoLogits'), the GPU count follows from the total parameters, and a provider's batching",
        "  and hardware (TPUs for Gemini) are not visible. Their ranges are wide on purpose.",
        "- The Monte Carlo's P5-P95 holds the central value of every typical case: each range is the",
        "  uncertainty of a year's average, sourced at both ends or a moderate assumption said as such, not the",
        "  spread of single requests (docs/derivation.md); `tests/config/test_shipped_config.py` checks it for",
        "  every usage profile, with the median within a factor 1.5 of the central value. The median still sits",
        "  somewhat above the central value: the central value is the most likely draw of each hypothesis, and",
        "  some sourced ranges reach further up than down (16-bit weights against 8-bit at the centre, the",
        "  industry-average PUE of 1.56 against 1.15).",
        "- Life-cycle anchors (Mistral) have a wider boundary than our electricity-plus-hardware carbon: they",
        "  are not expected to match.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    text = page()
    if "--check" in argv:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != text:
            print("docs/anchors.md is out of date (run python docs/anchors.py)", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
