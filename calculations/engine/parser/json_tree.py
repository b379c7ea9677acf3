"""JSON read as a tree (a sniffed JSON that does not parse gets a chance as flow-style YAML).

Decisions where the spec is silent: NaN/Infinity are refused as a parse error, a key twice in one
object is refused (code "duplicate"). A sniffed JSON that does not parse is read as YAML
(flow-style YAML also starts with `{`); if that fails too, the JSON error is reported.
"""

from __future__ import annotations

import json
import re
import sys

import yaml

from ..analytics import key_path
from ..messages import Message, gettext_noop
from .issues import Issues, line_column
from .values import LongInteger
from .yaml_tree import build_yaml


class NonFiniteNumber(Exception):
    """NaN or Infinity in a JSON text: not JSON, refused with where it is."""


def _refuse_constant(name: str):
    raise NonFiniteNumber(name)


def _integer(digits: str) -> int | LongInteger:
    return LongInteger(digits) if len(digits.lstrip("-")) > sys.get_int_max_str_digits() > 0 else int(digits)


_JSON_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def load_json_or_yaml(text: str, body: bytes, issues: Issues, sniffed: bool):
    """(tree, syntax) of a JSON document; a sniffed one that is not JSON gets a chance as YAML."""
    try:
        return _load_json(text, issues), "json"
    except json.JSONDecodeError as exc:
        json_error = {"message": Message(gettext_noop("not valid JSON: {detail}"), detail=exc.msg), "line": exc.lineno, "column": exc.colno}
        if sniffed:
            try:
                return build_yaml(body, issues), "yaml"
            except yaml.YAMLError:
                pass
        issues.fatal("parse_error", **json_error)


def _load_json(text: str, issues: Issues):
    duplicates: list[tuple[dict, str]] = []

    def unique_keys(pairs: list) -> dict:
        obj = dict(pairs)
        if len(obj) < len(pairs):
            seen: set = set()
            duplicates.append((obj, next(k for k, _ in pairs if k in seen or seen.add(k))))
        return obj

    try:
        try:
            tree = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_refuse_constant)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer too long to convert: read again keeping such integers as text
            duplicates.clear()
            tree = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_refuse_constant, parse_int=_integer)
    except NonFiniteNumber as exc:
        match = next(m for m in _JSON_STRING_OR_CONSTANT.finditer(text) if m.group(1))
        line, column = line_column(text, match.start(1))
        issues.fatal(
            "parse_error", Message(gettext_noop("{value} is not valid JSON (no NaN or infinity)"), value=exc.args[0]), line=line, column=column, value=exc.args[0]
        )
    except RecursionError:
        issues.fatal("parse_error", Message(gettext_noop("not valid JSON: nested too deeply")))
    for obj, key in duplicates:
        path = _tree_path(tree, obj)
        message = Message(gettext_noop("key {key!r} appears twice in one object"), key=key)
        issues.add("duplicate", message, path=key_path(path, key) if path is not None else key)
    return tree


def _tree_path(tree, target) -> str | None:
    """Key path of `target` inside a parsed JSON tree (errors only)."""
    todo = [(tree, "")]
    while todo:
        node, path = todo.pop()
        if node is target:
            return path
        if isinstance(node, dict):
            todo.extend((child, key_path(path, key)) for key, child in node.items())
        elif isinstance(node, list):
            todo.extend((child, f"{path}[{index}]") for index, child in enumerate(node))
    return None

