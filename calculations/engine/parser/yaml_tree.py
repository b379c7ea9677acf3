"""YAML read as a tree of dicts, lists and strings, from libyaml's event stream.

The tree path: it reads real exports, unusual shapes and every refused document, and words the
refusals (the streamed reader, `yaml_stream.py`, takes the common valid native document).

Decisions where the spec is silent: anchors, aliases, every explicit tag (even `!!str`), several
documents, mapping keys that are not scalars, a duplicate key in one mapping and nesting deeper
than MAX_DEPTH are refused at the first occurrence. Mapping keys are taken as written (`123:` is
the key "123"). Plain scalars stay text (`str`), resolved by the value rules; quoted and block
scalars are `Quoted`, always strings.
"""

from __future__ import annotations

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from ..analytics import key_path
from ..messages import Message, gettext_noop
from .issues import Issues
from .values import NULL_TEXT, Quoted

MAX_DEPTH = 64  # our structures need 6 levels; this only stops nesting bombs

NOT_VALID_YAML = gettext_noop("not valid YAML: {detail}")


def load_yaml(body: bytes, issues: Issues):
    try:
        return build_yaml(body, issues)
    except yaml.YAMLError as exc:
        issues.fatal("parse_error", **yaml_error(exc, body))


def yaml_error(exc: yaml.YAMLError, body: bytes) -> dict:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return {"message": Message(NOT_VALID_YAML, detail=exc.problem), "line": mark.line + 1, "column": mark.column + 1}
    if isinstance(exc, yaml.reader.ReaderError):  # libyaml's reader counts bytes, not characters
        line = body.count(b"\n", 0, exc.position) + 1
        column = len(body[body.rfind(b"\n", 0, exc.position) + 1 : exc.position].decode("utf-8", "replace")) + 1
        return {"message": Message(NOT_VALID_YAML, detail=exc.reason), "line": line, "column": column, "value": f"0x{exc.character:02X}"}
    return {"message": Message(NOT_VALID_YAML, detail=str(exc))}


def build_yaml(body: bytes, issues: Issues):
    """The document as dicts, lists, str (plain scalars, resolved later) and Quoted, or None when empty.

    A small state machine over libyaml events: `container` is the dict or list being filled, `key` the
    pending mapping key (None while a key is expected). This loop is the parser's hot path.
    """
    holder: list = []
    container, is_map, key = holder, False, None
    stack: list = []
    documents = 0
    for event in yaml.parse(body, Loader=yaml.CSafeLoader):
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor or event.tag:  # None when absent, never empty
                _refuse_node(event, issues, stack, container, is_map, key)
            if is_map:
                if key is None:
                    key = event.value
                    if key in container:
                        where = _build_path(stack, container, is_map, key)
                        issues.fatal(
                            "duplicate",
                            Message(gettext_noop("key {key!r} appears twice in one mapping"), key=key),
                            **_mark(event),
                            path=where,
                            also_path=where,
                        )
                    continue
                container[key] = Quoted(event.value) if event.style else event.value
                key = None
            else:
                container.append(Quoted(event.value) if event.style else event.value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor or event.tag:
                _refuse_node(event, issues, stack, container, is_map, key)
            if len(stack) >= MAX_DEPTH:
                issues.fatal(
                    "parse_error",
                    Message(gettext_noop("nesting deeper than {depth} levels is refused"), depth=MAX_DEPTH),
                    **_mark(event),
                )
            node: dict | list = {} if kind is MappingStartEvent else []
            if is_map:
                if key is None:
                    issues.fatal(
                        "invalid_analytics",
                        Message(gettext_noop("a mapping key must be a plain name, not a mapping or a list")),
                        **_mark(event),
                        path=_build_path(stack, container, is_map, None) or None,
                    )
                container[key] = node
                key = None
            else:
                container.append(node)
            stack.append((container, is_map))
            container, is_map = node, kind is MappingStartEvent
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, is_map = stack.pop()
        elif kind is AliasEvent:
            issues.fatal(
                "invalid_analytics",
                Message(gettext_noop("YAML aliases (*name) are refused")),
                **_mark(event),
                path=_build_path(stack, container, is_map, key) or None,
                value=f"*{event.anchor}",
            )
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                issues.fatal("invalid_analytics", Message(gettext_noop("several YAML documents are refused: send one")), **_mark(event))
    root = holder[0] if holder else None
    return None if type(root) is str and root in NULL_TEXT else root


def _mark(event) -> dict:
    return {"line": event.start_mark.line + 1, "column": event.start_mark.column + 1}


def _refuse_node(event, issues: Issues, stack, container, is_map, key) -> None:
    path = _build_path(stack, container, is_map, key) or None
    if event.anchor is not None:
        issues.fatal("invalid_analytics", Message(gettext_noop("YAML anchors (&name) are refused")), **_mark(event), path=path, value=f"&{event.anchor}")
    issues.fatal("invalid_analytics", Message(gettext_noop("explicit YAML tags are refused")), **_mark(event), path=path, value=event.tag)


def _build_path(stack, container, is_map, key) -> str:
    """Key path of the node being read, rebuilt from the builder's stack (only on errors).

    Each open container is the last entry of its parent, so its key is the parent's last key.
    """
    if not stack:
        return ""  # the root node
    chain = [parent for parent, _ in stack[1:]] + [container]
    parts = []
    for parent, child in zip(chain, chain[1:] + [None]):
        if isinstance(parent, dict):
            name = next(reversed(parent)) if child is not None else key
            if name is None:
                break
            parts.append(f".{name}" if parts else name)
        else:
            parts.append(f"[{len(parent) - 1 if child is not None else len(parent)}]")
    return "".join(parts)


def locate_yaml(body: bytes, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """Line and column of the first node at each wanted key path (a second, slow walk, on errors only)."""
    found: dict[str, tuple[int, int]] = {}
    frames: list[list] = []  # [path, is_mapping, pending key (mapping) or next index (list)]
    documents = 0
    try:
        for event in yaml.parse(body, Loader=yaml.CSafeLoader):
            kind = event.__class__
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    break
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frames.pop()
                continue
            if kind is not ScalarEvent and kind is not MappingStartEvent and kind is not SequenceStartEvent:
                continue
            if frames:
                frame = frames[-1]
                if frame[1]:
                    if frame[2] is None:
                        if kind is not ScalarEvent:
                            break
                        frame[2] = event.value
                        continue
                    path, frame[2] = key_path(frame[0], frame[2]), None
                else:
                    path = f"{frame[0]}[{frame[2]}]"
                    frame[2] += 1
            else:
                path = ""
            if path in wanted and path not in found:
                found[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                if len(found) == len(wanted):
                    break
            if kind is MappingStartEvent:
                frames.append([path, True, None])
            elif kind is SequenceStartEvent:
                frames.append([path, False, 0])
    except yaml.YAMLError:
        pass
    return found

