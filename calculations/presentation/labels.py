"""The labels of the pages' tables: hypotheses, metrics, methodology sections, changes, mapping rules
and run sources, in the active language. The hypotheses' labels come from the parameter catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

# The parameters of each section, their units and labels are the parameter catalogue's
# (calculations/engine/catalogue.py); the pages take them from here only.
from calculations.engine.catalogue import HYPOTHESES
from calculations.engine.parameters import (
    MODEL_EXTENSION_PARAMS, MODEL_PARAMS, PARAM_UNITS, PROFILE_PARAMS, REGION_EXTENSION_PARAMS, REGION_PARAMS,
)

__all__ = [
    "CHANGE_LABELS", "MAPPING_RULES", "METRIC_LABELS", "METRIC_UNITS", "MODEL_EXTENSION_PARAMS", "MODEL_PARAMS",
    "PARAM_LABELS", "PARAM_UNITS", "PROFILE_PARAMS", "REGION_EXTENSION_PARAMS", "REGION_PARAMS", "SECTION_LABELS",
    "SOURCE_LABELS",
]

PARAM_LABELS = {
    # The hypotheses' labels are the parameter catalogue's (translated here, marked there).
    **{h.name: gettext_lazy(h.label) for h in HYPOTHESES},
    "name": gettext_lazy("Name"),
    "source": gettext_lazy("Source"),
    "model": gettext_lazy("Model profile"),
    "aliases": gettext_lazy("Aliases"),
    "metric": gettext_lazy("Converts"),
    "unit": gettext_lazy("Unit"),
}
METRIC_LABELS = {
    "energy_kwh": gettext_lazy("energy"),
    "carbon_gco2e": gettext_lazy("carbon (electricity)"),
    "carbon_total_gco2e": gettext_lazy("carbon (electricity and embodied)"),
    "water_l": gettext_lazy("water"),
}
METRIC_UNITS = {"energy_kwh": "kWh", "carbon_gco2e": "gCO2e", "carbon_total_gco2e": "gCO2e", "water_l": "L"}
SECTION_LABELS = {
    "regions": gettext_lazy("Region"),
    "models": gettext_lazy("Model profile"),
    "profiles": gettext_lazy("Usage profile"),
    "default_region": gettext_lazy("Default region"),
    "equivalents": gettext_lazy("Equivalent"),
}
CHANGE_LABELS = {
    "added": gettext_lazy("added"),
    "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"),
}
MAPPING_RULES = {
    "alias": gettext_lazy("alias"),
    "name": gettext_lazy("name"),
    "type": gettext_lazy("type"),
    "profile_option": gettext_lazy("profile option"),
}
SOURCE_LABELS = {
    "api": gettext_lazy("API"),
    "web": gettext_lazy("Web upload"),
    "cli": gettext_lazy("Command line"),
    "reevaluation": gettext_lazy("Re-evaluation"),
}

