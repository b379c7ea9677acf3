"""An inventory as CSV and as an XLSX workbook (docs/reporting.md, "Downloads"): the figures, and what traces
each of them: the runs (ids, input, counts and methodology hashes, versions) and every hypothesis used.

CSV: one file, sections one after the other, each with its own header line (a spreadsheet opens it whole).
XLSX (openpyxl): sheets "Inventory", "Months", "Runs", "Hypotheses". Full precision (repr) in both; an empty
cell where a figure is not assessed, never 0. Text cells a spreadsheet would run as formulas are quoted.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .daily_csv import neutralise_formula
from .engine.scope import CATEGORIES

FIGURE_KEYS = ("value", "low", "high", "p5", "p50", "p95", "mean")
TOTALS_HEADER = ["project", "figure", "scope_category", "basis", "unit", *FIGURE_KEYS]
MONTHS_HEADER = ["project", "month", "inferences", *(f"{name}_{key}" for name in
                                                      ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e")
                                                      for key in FIGURE_KEYS)]
RUNS_HEADER = ["id", "project", "label", "first_day", "last_day", "region", "methodology_version",
               "methodology_sha256", "input_sha256", "counts_sha256", "engine_version", "derived_from", "monte_carlo"]
HYPOTHESES_HEADER = ["version", "section", "code", "parameter", "value", "low", "high", "unit", "source"]
_UNITS = {"energy_kwh": "kWh", "carbon_gco2e": "gCO2e", "carbon_market_gco2e": "gCO2e"}
_BASIS = {"energy_kwh": "", "carbon_gco2e": "location-based", "carbon_market_gco2e": "market-based"}


def _figures(estimate: dict | None) -> list:
    return ["" if estimate is None else estimate.get(key, "") for key in FIGURE_KEYS]


def totals_rows(document: dict[str, Any]) -> list[list]:
    """Per project then "ALL": the totals, then each scope category, location- and market-based."""
    rows = []
    for code, entry in [*((p["project"], p) for p in document["projects"]), ("ALL", document)]:
        for name in ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e"):
            rows.append([code, name, "", _BASIS[name], _UNITS[name], *_figures(entry["totals"][name])])
        for category in CATEGORIES:
            scope = entry["scopes"].get(category)
            if scope is None:
                continue
            for basis in ("location", "market"):
                rows.append([code, "carbon_gco2e", category, f"{basis}-based", "gCO2e",
                             *_figures(scope[f"{basis}_based_gco2e"])])
    return rows


def months_rows(document: dict[str, Any]) -> list[list]:
    rows = []
    for project in document["projects"]:
        for month in project["months"]:
            cells = [project["project"], month["month"], month["inferences"]]
            for name in ("energy_kwh", "carbon_gco2e", "carbon_market_gco2e"):
                estimate = month[name]
                cells += _figures(estimate)
            rows.append(cells)
    return rows


def runs_rows(document: dict[str, Any]) -> list[list]:
    return [[run[key] if run[key] is not None else "" for key in RUNS_HEADER] for run in document["runs"]]


def hypotheses_rows(document: dict[str, Any]) -> list[list]:
    return [[row[key] if row[key] is not None else "" for key in HYPOTHESES_HEADER] for row in document["hypotheses"]]


def _cell(value):
    if isinstance(value, str):
        return neutralise_formula(value)
    return repr(value) if isinstance(value, float) else value


SHEETS = (("Inventory", TOTALS_HEADER, totals_rows), ("Months", MONTHS_HEADER, months_rows),
          ("Runs", RUNS_HEADER, runs_rows), ("Hypotheses", HYPOTHESES_HEADER, hypotheses_rows))


def inventory_csv(document: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["inventory", document["start"], document["end"], document["project"] or "all projects",
                     f"90 % interval: {document['uncertainty']['draws']} draws, seed {document['uncertainty']['seed']}"])
    for title, header, rows in SHEETS:
        writer.writerow([])
        writer.writerow([f"# {title}"])
        writer.writerow(header)
        writer.writerows([_cell(value) for value in row] for row in rows(document))
    return out.getvalue()


def inventory_xlsx(document: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in SHEETS:
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows(document):
            # None: an empty cell (not assessed, never 0)
            sheet.append([None if v == "" else neutralise_formula(v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
