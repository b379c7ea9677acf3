"""`parse_analytics`: one upload's bytes to `Analytics`, or an `AnalyticsError` with every issue found."""

from __future__ import annotations

import hashlib

from ..analytics import Analytics
from ..gc_pause import collector_paused
from ..messages import Message, gettext_noop
from ..parameters import ParameterSet
from .encoding import check_encoding
from .issues import Issues, StopReading, known_profiles
from .registry import TEXT_SYNTAXES, Upload, choose_syntax, locator, syntax_reader
from .source_mapping import GENERIC
from .xlsx import DEFAULT_MAX_UNPACKED_BYTES


def parse_analytics(
    data: bytes,
    parameters: ParameterSet,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    profile: str | None = None,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
    unknown_models: str | None = None,
) -> Analytics:
    """Parse one upload into cells sorted by (day, profile), or raise AnalyticsError.

    `max_unpacked_bytes` bounds what a workbook (a zip) may unpack to: the upload cap.
    `unknown_models="generic"` maps a usage report's models that no alias matches to the usage profile
    `generic`, which the version must have (analytics-format.md 6.4).
    """
    issues = Issues(parameters)
    if unknown_models is not None:
        if unknown_models != GENERIC:
            issues.add("invalid_option", Message(gettext_noop("unknown_models must be {generic}; got {value!r}"),
                                                 generic=GENERIC, value=unknown_models))
        elif GENERIC not in parameters.profiles:
            issues.add("generic_profile_missing", Message(gettext_noop(
                "the option unknown_models=generic maps unknown models to the usage profile generic, which this "
                "methodology version does not have; usage profiles: {known}"), known=known_profiles(parameters)))
        if issues.items:
            raise issues.error()
    if profile is not None and profile not in parameters.profiles:
        issues.add("unknown_profile", Message(gettext_noop("unknown profile option {profile!r}; known profiles: {known}"), profile=profile,
                                             known=known_profiles(parameters)))
        raise issues.error()

    data = bytes(data)
    syntax, sniffed = choose_syntax(data, filename, content_type)
    if syntax in TEXT_SYNTAXES:
        check_encoding(data, issues)
    upload = Upload(data, sniffed, profile, max_unpacked_bytes)
    entry, reader = syntax_reader(syntax, parameters, issues)
    reader.unknown_models = unknown_models
    read = None
    with collector_paused():
        try:
            read = entry.read(upload, reader)
        except StopReading:
            pass
    if issues.items:
        raise issues.error(locate=locator(upload, reader))
    fmt, cells, mappings = read
    if not cells:
        issues.add("empty", Message(gettext_noop("the file holds no usage records")))
        raise issues.error()
    if profile is not None and not any(m.rule == "profile_option" for m in mappings):
        # Honoured or refused, never ignored (issue 15.4): only a report without models takes it.
        issues.add("profile_option_unused", Message(gettext_noop(
            "the profile option {profile!r} only names the usage profile of an OpenAI or Anthropic usage report not "
            "grouped by model; this upload ({format}) names its usage profiles itself: send it without the option"),
            profile=profile, format=fmt))
        raise issues.error()
    return Analytics(
        cells=cells,
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        mappings=mappings,
        inferences_reported=reader.inferences_reported,
        generic_models=sorted(reader.generic_models),
    )
