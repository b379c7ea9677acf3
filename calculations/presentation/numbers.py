"""Numbers and units for people: digits in the active locale, display units (Wh/kWh/MWh/GWh,
g/kg/t CO2e, L/m³) and estimates "value (low–high)"."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

def number(value: float | int | None, significant: int = 3) -> str:
    """A number for people: `significant` digits, whole numbers grouped, in the active locale.

    412.3 -> "412", 0.61437 -> "0.614", 17634.2 -> "17,634" ("17 634" in French).
    """
    if value is None:
        return ""
    if value == 0:
        return formats.number_format(0, 0)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, min(12, significant - 1 - magnitude))
    text = formats.number_format(round(value, decimals), decimals, force_grouping=True)
    separator = formats.get_format("DECIMAL_SEPARATOR")
    if decimals and separator in text:
        text = text.rstrip("0").rstrip(separator)
    return text


def integer(value: int | float | None) -> str:
    return "" if value is None else formats.number_format(round(value), 0, force_grouping=True)


def percent(value: float | None) -> str:
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{number(abs(value))} %"


def signed(value: float) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{number(abs(value))}"


@dataclass(frozen=True)
class Unit:
    """A display unit: `factor` converts the stored unit (kWh, gCO2e) into it."""

    symbol: str
    factor: float


ENERGY_UNITS = (Unit("Wh", 1000.0), Unit("kWh", 1.0), Unit("MWh", 0.001), Unit("GWh", 1e-6))
CARBON_UNITS = (Unit("gCO2e", 1.0), Unit("kgCO2e", 1e-3), Unit("tCO2e", 1e-6))
WATER_UNITS = (Unit("L", 1.0), Unit("m³", 1e-3))


def energy_unit(kwh: float) -> Unit:
    """Wh below 1 kWh, kWh up to 10 MWh, then MWh and GWh."""
    kwh = abs(kwh)
    if kwh < 1:
        return ENERGY_UNITS[0]
    if kwh < 10_000:
        return ENERGY_UNITS[1]
    return ENERGY_UNITS[2] if kwh < 10_000_000 else ENERGY_UNITS[3]


def carbon_unit(grams: float) -> Unit:
    """g below 1 kg, kg below 1 t, then t."""
    grams = abs(grams)
    if grams < 1000:
        return CARBON_UNITS[0]
    return CARBON_UNITS[1] if grams < 1_000_000 else CARBON_UNITS[2]


def water_unit(litres: float) -> Unit:
    return WATER_UNITS[0] if abs(litres) < 10_000 else WATER_UNITS[1]


def estimate(values: dict[str, float], unit: Unit, *, with_unit: bool = True) -> dict[str, str]:
    """{"value": "412", "range": "190–980", "text": "412 kWh (190–980)", "unit": "kWh"}."""
    central = number(values["value"] * unit.factor)
    low, high = number(values["low"] * unit.factor), number(values["high"] * unit.factor)
    spread = f"{low}–{high}"
    text = f"{central} {unit.symbol} ({spread})" if with_unit else f"{central} ({spread})"
    return {"value": central, "range": spread, "text": text, "unit": unit.symbol}


def inference_count(inferences: int, reported: bool) -> str | None:
    """The formatted count of inferences, or None when the report counts none ("not reported")."""
    return integer(inferences) if reported else None


def per_inference(run_like, inferences: int) -> dict[str, dict[str, str]] | None:
    """Energy (Wh) and carbon (g) per inference with their ranges; None when there is no inference."""
    if not inferences:
        return None
    energy = {k: 1000.0 * v / inferences for k, v in run_like.energy_kwh.items()}
    carbon = {k: v / inferences for k, v in run_like.carbon_gco2e.items()}
    return {"energy": estimate(energy, Unit("Wh", 1.0)), "carbon": estimate(carbon, Unit("gCO2e", 1.0))}


def param_text(param: dict[str, float] | None, unit: str = "") -> str:
    """A methodology parameter {"value", "low", "high"} as "1.2 (1.09–1.56)"."""
    if not param:
        return ""
    text = number(param["value"], 4)
    if not (param["low"] == param["value"] == param["high"]):
        text += f" ({number(param['low'], 4)}–{number(param['high'], 4)})"
    return f"{text} {unit}".strip()



def optional_estimate(values: dict[str, float] | None, unit: Unit | None = None, *, pick=None,
                      with_unit: bool = True) -> dict[str, str] | None:
    """estimate() of a figure that may be "not assessed" (None stays None, never 0); `pick` chooses the
    unit from the central value when `unit` is not given."""
    if values is None:
        return None
    return estimate(values, unit or pick(values["value"]), with_unit=with_unit)



def percent_share(part: float, whole: float) -> str:
    return f"{number(100.0 * part / whole)} %" if whole else ""



def fsum_estimates(items: list[tuple[float, float, float]]) -> dict[str, float]:
    return {
        "value": math.fsum(i[0] for i in items),
        "low": math.fsum(i[1] for i in items),
        "high": math.fsum(i[2] for i in items),
    }



def binary_size(size_bytes: int) -> str:
    """A size as the cap is set, in powers of 1024 named as such: "50 MiB" ("50 Mio"), "512 KiB", "1,000 bytes"."""
    if size_bytes >= 1024 ** 2:
        return _("%(size)s MiB") % {"size": number(size_bytes / 1024 ** 2, 4)}
    if size_bytes >= 1024:
        return _("%(size)s KiB") % {"size": number(size_bytes / 1024, 4)}
    return ngettext("%(size)s byte", "%(size)s bytes", size_bytes) % {"size": integer(size_bytes)}
