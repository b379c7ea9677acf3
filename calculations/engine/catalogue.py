"""The parameter catalogue: every hypothesis of a methodology version, described once.

For each hypothesis: its name (the key in the config files, the canonical form and the
`<name>_value/_low/_high` columns), the section that holds it, its unit, its labels, which way
it moves the result (hence which of its bounds gives the result's low), and its rules (whole
number, at most 1, optional). Config validation, the parameter tuples of `parameters`, the
database columns and constraints of `methodology.models`, the admin, the pages' labels and units,
and the low/high bounds of `compute` all read it. docs/adding-a-hypothesis.md says how to add one.

Labels are plain English strings; `gettext_noop` only marks them for `makemessages`, and pages
translate them where they show them. Plain Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("regions", "models", "profiles", "equivalents")
BOUNDS = ("value", "low", "high")


def gettext_noop(text: str) -> str:
    """Marks a label for translation (makemessages reads the calls); the label stays English here."""
    return text


@dataclass(frozen=True, slots=True)
class Hypothesis:
    name: str
    section: str  # one of SECTIONS
    unit: str  # "" for a ratio without unit (PUE, efficiency)
    label: str  # shown on the pages (translated there)
    column_label: str  # the admin's label of the value column, unit included where it helps
    column_name: str  # the admin's label of the low and high columns: "<column_name> low"
    raises_result: bool  # a higher value gives a higher result (methodology.md section 6)
    whole: bool = False  # a whole number >= 1 (a count)
    at_most_one: bool = False  # a share: 0 < x <= 1
    optional: bool = False  # methodology.md section 8: the section's optional ones come all or none
    alone: bool = False  # optional on its own, outside the all-or-none rule (a refinement, not an extension)

    def bound_for(self, result_bound: str) -> str:
        """Which of this hypothesis' bounds the result's `result_bound` takes ("value", "low" or "high")."""
        if self.raises_result or result_bound == "value":
            return result_bound
        return "high" if result_bound == "low" else "low"

    def column_labels(self) -> dict[str, str]:
        """The admin's label of each column, `<name>_value`, `<name>_low`, `<name>_high`."""
        return {f"{self.name}_{bound}": self.column_label if bound == "value" else f"{self.column_name} {bound}"
                for bound in BOUNDS}


def _h(name, section, unit, label, column_label, column_name, raises_result, **rules) -> Hypothesis:
    return Hypothesis(name, section, unit, label, column_label, column_name, raises_result, **rules)


# In the order of the config files, the canonical form (hence the SHA-256 of a version) and the pages.
HYPOTHESES: tuple[Hypothesis, ...] = (
    _h("pue", "regions", "", gettext_noop("PUE"), "PUE", "PUE", True),
    _h("carbon_intensity", "regions", "gCO2e/kWh", gettext_noop("Carbon intensity"),
       "carbon intensity (gCO2e/kWh)", "carbon intensity", True),
    _h("wue", "regions", "L/kWh", gettext_noop("Water usage effectiveness (WUE)"), "WUE (L/kWh)", "WUE", True,
       optional=True),
    _h("water_intensity", "regions", "L/kWh", gettext_noop("Water intensity of electricity"),
       "grid water intensity (L/kWh)", "grid water intensity", True, optional=True),
    # Methodology.md section 3: the market-based factor (GHG Protocol Scope 2 Guidance), a residual mix or a
    # supplier's factor. carbon_intensity stays the location-based one; without it, market-based is "not assessed".
    _h("carbon_intensity_market", "regions", "gCO2e/kWh", gettext_noop("Carbon intensity, market-based"),
       "market-based carbon intensity (gCO2e/kWh)", "market-based carbon intensity", True,
       optional=True, alone=True),
    _h("gpu_count", "models", "GPUs", gettext_noop("GPU count"), "GPU count", "GPU count", True, whole=True),
    _h("gpu_power_w", "models", "W", gettext_noop("GPU power"), "GPU power (W)", "GPU power", True),
    _h("host_power_w", "models", "W", gettext_noop("Host power"), "host power (W)", "host power", True),
    _h("prefill_tokens_per_s", "models", "tokens/s", gettext_noop("Prefill throughput"),
       "prefill throughput (tokens/s)", "prefill throughput", False),
    _h("decode_tokens_per_s", "models", "tokens/s", gettext_noop("Decode throughput"),
       "decode throughput (tokens/s)", "decode throughput", False),
    _h("efficiency", "models", "", gettext_noop("Efficiency η"), "efficiency η", "efficiency", False,
       at_most_one=True),
    _h("embodied_kgco2e", "models", "kgCO2e", gettext_noop("Embodied carbon of the hardware"),
       "embodied carbon (kgCO2e)", "embodied carbon", True, optional=True),
    _h("lifetime_years", "models", "years", gettext_noop("Hardware lifetime"), "hardware lifetime (years)",
       "hardware lifetime", False, optional=True),
    # Methodology.md section 3: a cached input token costs this fraction of a prefill token. A version
    # without it counts cached tokens as ordinary input (fraction 1).
    _h("cached_input_fraction", "models", "", gettext_noop("Cost of a cached input token"),
       "cached input token cost (share of a prefill token)", "cached input token cost", True,
       at_most_one=True, optional=True, alone=True),
    _h("input_tokens", "profiles", "tokens", gettext_noop("Input tokens per inference"),
       "input tokens per inference", "input tokens", True),
    _h("output_tokens", "profiles", "tokens", gettext_noop("Output tokens per inference"),
       "output tokens per inference", "output tokens", True),
    # An equivalent's amount of the metric per unit: a larger amount means fewer units (section 9, decision 13).
    _h("amount", "equivalents", "", gettext_noop("Amount"), "amount per unit", "amount", False),
)

BY_NAME: dict[str, Hypothesis] = {h.name: h for h in HYPOTHESES}


def hypothesis(name: str) -> Hypothesis:
    return BY_NAME[name]


def names(section: str, *, optional: bool | None = None) -> tuple[str, ...]:
    """The names of a section's hypotheses in catalogue order: all, or only the required
    (optional=False) or only the optional ones (optional=True)."""
    return tuple(h.name for h in HYPOTHESES
                 if h.section == section and (optional is None or h.optional == optional))


def all_or_none(section: str) -> tuple[str, ...]:
    """The optional hypotheses of a section given all together or not at all (methodology.md section 8)."""
    return tuple(h.name for h in HYPOTHESES if h.section == section and h.optional and not h.alone)


def optional_alone(section: str) -> tuple[str, ...]:
    """The optional hypotheses of a section that may be given on their own."""
    return tuple(h.name for h in HYPOTHESES if h.section == section and h.alone)


def bound_for(name: str, result_bound: str) -> str:
    """Which bound of hypothesis `name` gives the result's `result_bound` (exact bounds, methodology.md section 6)."""
    return BY_NAME[name].bound_for(result_bound)
