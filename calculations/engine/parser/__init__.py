"""Reading an analytics upload into daily usage cells (analytics-format.md).

`parse_analytics(data, parameters)` picks the syntax (YAML, JSON, CSV or an Excel workbook), checks the encoding,
recognises a real export (section 5) or reads the native structures (sections 1 to 3), checks
every rule of section 4, and returns an `Analytics` or raises an `AnalyticsError` listing up to
MAX_ERRORS issues with their line/column (YAML, CSV), key path (YAML, JSON) or cell (`analytics!C3`).

The package, from the bottom up (imports only go down):

- `issues` (refusals and the AnalyticsError) and `values` (field names, the count, day and text
  rules); `reader` (the rules applied with locations), `encoding` (UTF-8 checks and text);
- one module per syntax or format: `yaml_lines` (the three common native YAML layouts by their
  lines), `yaml_stream` (a valid native YAML document from the event stream), `yaml_tree` (any
  YAML as a tree), `json_tree`, `native` (sections 1 and 2 from a
  tree), `csv_rows` and `csv_columns` (its fast path), `xlsx`, `fluidtopics` and `openai` (section 5);
- `registry`: which reader reads an upload; `upload`: `parse_analytics`.
"""

from .registry import CONTENT_TYPES
from .upload import parse_analytics

__all__ = ["CONTENT_TYPES", "parse_analytics"]
