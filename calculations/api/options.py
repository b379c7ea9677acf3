"""An endpoint's options are honoured or refused, never ignored (issue 15.4).

Options come from the query string and, for the POST endpoints, from the body's fields, as
POST /api/energy always took them. A name the endpoint does not take, a name given twice (twice in
the query string, or in the query string and the body with different values), or a body that is not a
set of fields is refused with 400 naming it; the serializer then validates the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext
from rest_framework import serializers

from .errors import OptionRefused

# Taken by every endpoint: DRF's format override (?format=json).
EVERYWHERE = ("format",)


class NoOptions(serializers.Serializer):
    """An endpoint that takes no option."""


def _given(query, body: Mapping | None) -> dict[str, Any]:
    given, repeated = {}, []
    for name in query:
        values = query.getlist(name)
        if len(values) > 1:
            repeated.append((name, gettext("given %(count)d times in the query string; give it once") % {"count": len(values)}))
        given[name] = values[-1]
    for name in (body or {}):
        value = body.getlist(name) if hasattr(body, "getlist") else [body[name]]
        if len(value) > 1:
            repeated.append((name, gettext("given %(count)d times in the body; give it once") % {"count": len(value)}))
        if name in given and str(given[name]) != str(value[-1]):
            repeated.append((name, gettext("given as %(query)s in the query string and as %(body)s in the body") % {
                "query": repr(given[name]), "body": repr(value[-1])}))
        given[name] = value[-1]
    if repeated:
        raise OptionRefused("repeated_option", repeated)
    return given


def request_options(request, serializer_class: type[serializers.Serializer], *, body: Any = None,
                    also: tuple[str, ...] = ()) -> dict[str, Any]:
    """The validated options of `request` (query string, plus `body`'s fields when given); `also` names
    parameters the view reads itself (e.g. `page`). Raises OptionRefused or ValidationError (400)."""
    if body is not None and not isinstance(body, Mapping):
        raise OptionRefused("invalid_options", [("body", gettext("the options must be form fields or a JSON object"))])
    given = _given(request.query_params, body)
    accepted = sorted(set(serializer_class().fields) | set(also) | set(EVERYWHERE))
    unknown = sorted(set(given) - set(accepted))
    if unknown:
        takes = ", ".join(name for name in accepted if name not in EVERYWHERE) or gettext("no option")
        raise OptionRefused("unknown_option", [
            (name, gettext("this endpoint does not take %(name)s (it takes: %(takes)s)") % {"name": repr(name), "takes": takes})
            for name in unknown])
    # A QueryDict, as the query string is: an empty value of an optional field means "not given"
    # (Swagger UI and HTML forms send empty fields), whichever part of the request it came from.
    data = QueryDict(mutable=True)
    for name, value in given.items():
        if name not in also and name not in EVERYWHERE:
            data[name] = value
    options = serializer_class(data=data)
    options.is_valid(raise_exception=True)
    return options.validated_data
