"""Who may do what, everywhere: every route of the URL configuration (walked from get_resolver(), so that a
new route without a row fails) x every role, with the expected answer in each cell. Then token revocation, and escaping of user-supplied text (labels, file names, sources) in HTML.

Roles: anonymous; a plain user (computes and reads runs); plain staff (reads the admin, changes
nothing); a methodology editor (staff in the "Methodology editors" group created by migration
methodology 0002: edits drafts and publishes); an auditor (staff in the "Auditors" group created by
migration audit 0003: reads every run, report, export, version and the ledger's checks, uploads and
re-evaluates nothing); a superuser.

Runs are shared inside the organisation: any logged-in user reads and re-evaluates any run (an audit
tool, not a multi-tenant service). The OpenAPI schema and its docs page need a login too.
"""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import pytest
from admin_testing import change_form_data
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.core.files.uploadedfile import SimpleUploadedFile

from calculations.models import Run
from methodology.models import MethodologyVersion, Region
from methodology.services import create_draft, publish_version

from .conftest import GOOD_CSV

EDITORS_GROUP = "Methodology editors"
AUDITORS_GROUP = "Auditors"
XSS = "<script>alert(1)</script>"

# Each role: how its user is made (None: not logged in). Adding a role is one line here; the matrix then
# expects of it what `everyone` and `admin` derive from its flags, and any cell that differs says so by name.
ROLES = {
    "anonymous": None,
    "user": {},
    "staff": {"is_staff": True},
    "editor": {"is_staff": True, "groups": [EDITORS_GROUP]},
    "auditor": {"is_staff": True, "groups": [AUDITORS_GROUP]},
    "superuser": {"is_staff": True, "is_superuser": True},
}

# Expected answers: an HTTP status, or one of these redirects.
LOGIN = "login"  # 302 to the site's login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
DONE = "done"  # 302 somewhere else: the action was carried out (or a plain redirect)


def is_staff(role: str) -> bool:
    return bool((ROLES[role] or {}).get("is_staff"))


def everyone(status, **overrides):
    """The same answer for every logged-in role; anonymous visitors are sent to log in (pages) or get 401 (API)."""
    def cell(kind):
        answers = {role: status for role in ROLES}
        answers["anonymous"] = LOGIN if kind == "page" else 401
        return {**answers, **overrides}
    return cell


def public(status):
    """Pages anyone may open, logged in or not (the login page, the language switch)."""
    return lambda kind: {role: status for role in ROLES}


def by_staff(staff, others):
    """One answer for staff roles, another for the rest, anonymous included."""
    return lambda kind: {role: staff if is_staff(role) else others for role in ROLES}


def admin(staff, **overrides):
    """Admin pages: visitors who are not staff are sent to the admin's login page; staff get `staff` unless
    their role is named in `overrides`."""
    return lambda kind: {role: overrides.get(role, staff) if is_staff(role) else ADMIN_LOGIN for role in ROLES}


SUPERUSER_ONLY = admin(403, superuser=200)
# What changes the record (uploads, re-evaluations): every logged-in role but auditors, who get 403.
NOT_AUDITORS = {"auditor": 403}
# The ledger's admin: auditors and superusers read it; nobody adds, changes or deletes an entry there.
LEDGER_READERS = admin(403, auditor=200, superuser=200)

# Every route of the URL configuration (as get_resolver() spells it) with the requests the matrix sends to it:
# (route, query string or explicit URL, method, data, expected per role). Path parameters are filled from
# PATH_VALUES; a route with a regular expression gives its URL in full. test_every_route_is_in_the_matrix
# fails when a route is added without a row here.
ROUTES = [
    # Pages of the runs
    ("", "", "get", None, public(DONE)),  # redirects to the run history, which asks for a login
    ("runs/", "", "get", None, everyone(200)),
    ("runs/new", "", "get", None, everyone(200, **NOT_AUDITORS)),
    ("runs/new", "", "post", "upload", everyone(DONE, **NOT_AUDITORS)),
    ("runs/compare", "?a={run}&b={other_run}", "get", None, everyone(200)),
    ("runs/periods", "?runs={run}", "get", None, everyone(200)),
    # The matrix's two runs cover the same days: the inventory counts one of them (runs=…)
    ("runs/inventory", "?year=2025&runs={run}", "get", None, everyone(200)),
    ("runs/inventory.csv", "?year=2025&runs={run}", "get", None, everyone(200)),
    ("runs/inventory.xlsx", "?year=2025&runs={run}", "get", None, everyone(200)),
    ("runs/inventory/restate", "", "post", {"start": "2025-01-01", "end": "2025-12-31", "version": "1"},
     everyone(DONE, **NOT_AUDITORS)),  # back to the inventory (here with the overlap named)
    # Creating a project: whoever may upload, auditors excepted (each cell runs on a fresh database)
    ("runs/projects/new", "", "get", None, everyone(200, **NOT_AUDITORS)),
    ("runs/projects/new", "", "post", {"name": "Docs portal"}, everyone(DONE, **NOT_AUDITORS)),
    ("runs/methodology.md", "", "get", None, everyone(200)),
    ("runs/<int:pk>/", "", "get", None, everyone(200)),
    ("runs/<int:pk>/reevaluate", "", "post", {"version": "1", "region": "germany"}, everyone(DONE, **NOT_AUDITORS)),
    ("runs/<int:pk>/report", "", "get", None, everyone(200)),
    ("runs/<int:pk>/download.json", "", "get", None, everyone(200)),
    ("runs/<int:pk>/download.csv", "", "get", None, everyone(DONE)),  # redirects to the API's daily CSV
    ("methodology/", "", "get", None, everyone(200)),
    ("methodology/<int:number>/", "", "get", None, everyone(200)),
    ("methodology/<int:number>/diff/<int:other>/", "", "get", None, everyone(200)),
    # Accounts and language
    ("accounts/login/", "", "get", None, public(200)),
    ("accounts/logout/", "", "post", {}, public(LOGIN)),  # logged out, back to the login page
    ("i18n/setlang/", "", "post", {"language": "fr", "next": "/runs/"}, public(DONE)),
    # REST API
    ("api/energy", "", "post", "csv", everyone(201, **NOT_AUDITORS)),
    ("api/energy", "?save=false", "post", "csv", everyone(200, **NOT_AUDITORS)),
    ("energy", "", "post", "csv", everyone(201, **NOT_AUDITORS)),
    ("api/runs", "", "get", None, everyone(200)),
    ("api/runs/<int:pk>", "", "get", None, everyone(200)),
    ("api/runs/<int:pk>/daily.csv", "", "get", None, everyone(200)),
    ("api/runs/<int:pk>/sensitivity", "", "get", None, everyone(200)),
    ("api/runs/<int:pk>/reevaluate", "", "post", {"region": "germany"}, everyone(201, **NOT_AUDITORS)),
    ("api/compare", "?a={run}&b={other_run}", "get", None, everyone(200)),
    ("api/periods", "?runs={run}", "get", None, everyone(200)),
    ("api/inventory", "?start=2025-01-01&end=2025-12-31&runs={run}", "get", None, everyone(200)),
    ("api/inventory/bridge", "?base_start=2025-01-01&base_end=2025-12-31&start=2025-01-01&end=2025-12-31"
                             "&base_runs={run}&runs={other_run}", "get", None, everyone(200)),
    ("api/inventory/restate", "?start=2025-01-01&end=2025-12-31&version=1&runs={run}", "post", {},
     everyone(201, **NOT_AUDITORS)),
    ("api/methodology/versions", "", "get", None, everyone(200)),
    ("api/methodology/versions/<int:number>", "", "get", None, everyone(200)),
    ("api/methodology/versions/<int:number>/diff/<int:other>", "", "get", None, everyone(200)),
    ("api/schema", "", "get", None, everyone(200)),
    ("api/docs", "", "get", None, everyone(200, anonymous=LOGIN)),
    ("docs", "", "get", None, public(DONE)),  # redirects to api/docs, which asks for a login
    # The admin site
    ("admin/", "", "get", None, admin(200)),
    ("admin/login/", "", "get", None, by_staff(DONE, 200)),  # staff are sent on to the index
    ("admin/logout/", "", "post", {}, by_staff(LOGIN, DONE)),  # staff are logged out; others sent to the index
    ("admin/password_change/", "", "get", None, admin(200)),
    ("admin/password_change/done/", "", "get", None, admin(200)),
    ("admin/autocomplete/", "", "get", None, admin(403)),
    ("admin/jsi18n/", "", "get", None, admin(200)),
    ("admin/r/<path:content_type_id>/<path:object_id>/", "admin/r/{user_type}/{plain}/", "get", None, admin(404)),
    ("admin/^(?P<app_label>auth|axes|methodology|knox|audit)/$", "admin/methodology/", "get", None, admin(200)),
    ("admin/^(?P<app_label>auth|axes|methodology|knox|audit)/$", "admin/auth/", "get", None, admin(404, superuser=200)),
    ("admin/^(?P<app_label>auth|axes|methodology|knox|audit)/$", "admin/knox/", "get", None, admin(404, superuser=200)),
    ("admin/^(?P<app_label>auth|axes|methodology|knox|audit)/$", "admin/axes/", "get", None, admin(404, superuser=200)),
    ("admin/^(?P<app_label>auth|axes|methodology|knox|audit)/$", "admin/audit/", "get", None,
     admin(404, auditor=200, superuser=200)),
    ("admin/(?P<url>.*)$", "admin/no-such-page", "get", None, admin(404)),
    ("admin/auth/user/<id>/password/", "", "get", None, SUPERUSER_ONLY),
    # The methodology admin's own views
    ("admin/methodology/methodologyversion/<int:object_id>/diff/", "", "get", None, admin(200)),
    ("admin/methodology/methodologyversion/<int:object_id>/publish/", "", "post", {},
     admin(403, editor=DONE, superuser=DONE)),
    ("admin/methodology/methodologyversion/<int:object_id>/new-draft/",
     "admin/methodology/methodologyversion/{v1}/new-draft/", "post", {}, admin(403, editor=DONE, superuser=DONE)),
]

# The standard views of every model registered in the admin, and the answer expected of each per model.
ADMIN_VIEWS = {
    "changelist": "admin/{model}/",
    "add": "admin/{model}/add/",
    "history": "admin/{model}/<path:object_id>/history/",
    "delete": "admin/{model}/<path:object_id>/delete/",
    "change": "admin/{model}/<path:object_id>/change/",
    "object": "admin/{model}/<path:object_id>/",  # redirects to the change page
}
ADMIN_MODELS = {
    "auth/user": {"object_id": "{plain}", **{view: SUPERUSER_ONLY for view in ADMIN_VIEWS}, "object": admin(DONE)},
    "auth/group": {"object_id": "{group}", **{view: SUPERUSER_ONLY for view in ADMIN_VIEWS}, "object": admin(DONE)},
    "knox/authtoken": {"object_id": "{token}", **{view: SUPERUSER_ONLY for view in ADMIN_VIEWS},
                       "object": admin(DONE)},
    # Login lockouts (django-axes): records of failed and successful logins, for superusers only; nobody
    # adds one by hand (axes' admin refuses it, superusers included).
    **{f"axes/{model}": {"object_id": "{%s}" % model, **{view: SUPERUSER_ONLY for view in ADMIN_VIEWS},
                         "add": admin(403), "object": admin(DONE)}
       for model in ("accessattempt", "accesslog", "accessfailurelog")},
    # Staff read the methodology; editors change and delete drafts; nobody adds one here (a draft is
    # derived from a published version).
    "audit/ledgercheck": {"object_id": "{ledgercheck}", "changelist": LEDGER_READERS, "add": admin(403),
                          "history": LEDGER_READERS, "delete": admin(403), "change": LEDGER_READERS,
                          "object": admin(DONE)},
    "audit/ledgerentry": {"object_id": "{ledgerentry}", "changelist": LEDGER_READERS, "add": admin(403),
                          "history": LEDGER_READERS, "delete": admin(403), "change": LEDGER_READERS,
                          "object": admin(DONE)},
    "methodology/methodologyversion": {
        "object_id": "{draft}", "changelist": admin(200), "add": admin(403), "history": admin(200),
        "delete": admin(403, editor=200, superuser=200), "change": admin(200), "object": admin(DONE),
    },
}

PATH_VALUES = {"pk": "{run}", "number": "1", "other": "1", "object_id": "{draft}", "id": "{plain}"}


def admin_rows():
    for model, expectations in ADMIN_MODELS.items():
        for view, route in ADMIN_VIEWS.items():
            route = route.format(model=model)
            yield route, "/" + route.replace("<path:object_id>", expectations["object_id"]), "get", None, \
                expectations[view]


def url_of(route: str, query: str) -> str:
    """The URL a row requests: its explicit URL, or its route with the path parameters filled in."""
    if query.startswith("admin/"):
        return "/" + query
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PATH_VALUES[m.group(1)], route) + query


def all_rows():
    yield from ((route, url_of(route, query), method, data, expected) for route, query, method, data, expected in ROUTES)
    yield from admin_rows()


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def with_sorted_app_labels(route: str) -> str:
    """The admin's app-index route lists the app labels in the order their admin registered: compared
    whatever that order (an app re-registering another's model moves it)."""
    return re.sub(r"\(\?P<app_label>([^)]*)\)",
                  lambda m: "(?P<app_label>" + "|".join(sorted(m.group(1).split("|"))) + ")", route)


def test_every_route_is_in_the_matrix():
    """A route added to the URL configuration without a row in the matrix (or a row left for a route that
    is gone) fails here."""
    routes = set(map(with_sorted_app_labels, walk(get_resolver().url_patterns)))
    in_matrix = {with_sorted_app_labels(row[0]) for row in all_rows()}
    assert routes - in_matrix == set(), "routes the permission matrix does not test"
    assert in_matrix - routes == set(), "rows of the matrix for routes that no longer exist"


def test_every_model_of_the_admin_is_in_the_matrix():
    from django.contrib import admin as admin_site

    registered = {f"{m._meta.app_label}/{m._meta.model_name}" for m in admin_site.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.fixture
def world(db, methodology_v1, django_user_model):
    """A user of each role, two runs by someone else, a token, and a draft derived from version 1 (France's
    carbon intensity changed, so that it may be published)."""
    from django.contrib.contenttypes.models import ContentType
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from audit.models import LedgerCheck, LedgerEntry

    users = {}
    for role, spec in ROLES.items():
        if spec is not None:
            spec = dict(spec)
            groups = spec.pop("groups", [])
            users[role] = django_user_model.objects.create_user(role, password=f"pw-{role}-5001", **spec)
            users[role].groups.add(*(Group.objects.get(name=name) for name in groups))
    owner = django_user_model.objects.create_user("owner", password="pw-owner-5001")
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "owner", "http_accept": "*/*",
               "path_info": "/accounts/login/"}
    # bulk_create: axes' post_save receiver expects its database handler; this site keeps lockouts in the cache.
    lockouts = {
        "accessattempt": AccessAttempt(**attempt, get_data="", post_data="", failures_since_start=1),
        "accesslog": AccessLog(**attempt),
        "accessfailurelog": AccessFailureLog(**attempt, locked_out=False),
    }
    for row in lockouts.values():
        type(row).objects.bulk_create([row])
    api = APIClient()
    api.force_authenticate(owner)
    runs = [api.post(f"/api/energy?label={XSS}", data=GOOD_CSV, content_type="text/csv").json()["run"]["id"]
            for _ in range(2)]
    draft = create_draft(methodology_v1)
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=60, carbon_intensity_high=60)
    return SimpleNamespace(
        users=users, run=runs[0], other_run=runs[1], draft=draft.pk, v1=methodology_v1.pk, plain=owner.pk,
        group=Group.objects.get(name=EDITORS_GROUP).pk, token=AuthToken.objects.create(user=owner)[0].digest,
        user_type=ContentType.objects.get_for_model(django_user_model).pk,
        **{model: row.pk for model, row in lockouts.items()},
        ledgercheck=LedgerCheck.objects.create(intact=True, entries=LedgerEntry.objects.count()).pk,
        ledgerentry=LedgerEntry.objects.first().pk,
    )


def client_for(role: str, world) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def request(client: Client, method: str, url: str, data):
    if data == "csv":
        return client.post(url, data=GOOD_CSV, content_type="text/csv")
    if data == "upload":
        upload = SimpleUploadedFile("a.csv", GOOD_CSV, "text/csv")
        return client.post(url, {"analytics_file": upload, "version": "1", "region": "", "label": "", "profile": ""})
    return getattr(client, method)(url, data or {})


def outcome(response):
    """The answer as the matrix names it."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
        return DONE
    return response.status_code


def kind_of(route: str) -> str:
    """The REST API answers anonymous requests with 401; pages send them to log in."""
    return "api" if route.startswith(("api/", "energy")) and route != "api/docs" else "page"


CELLS = [
    pytest.param(method, url, data, role, expected(kind_of(route))[role], id=f"{method.upper()} {url} | {role}")
    for route, url, method, data, expected in all_rows()
    for role in ROLES
]


@pytest.mark.parametrize(("method", "url", "data", "role", "expected"), CELLS)
def test_permission_matrix(world, method, url, data, role, expected):
    client = client_for(role, world)
    response = request(client, method, url.format(**vars(world)), data)
    assert outcome(response) == expected, response.content[:300]


# --------------------------------------------------------------------------- admin: changing a draft


@pytest.mark.parametrize(("role", "expected", "changed"), [
    ("staff", 403, False), ("editor", DONE, True), ("auditor", 403, False), ("superuser", DONE, True),
])
def test_editing_a_draft_through_the_admin(world, role, expected, changed):
    url = f"/admin/methodology/methodologyversion/{world.draft}/change/"
    editor = client_for("editor", world)  # the page as an editor sees it: every field editable
    data = change_form_data(editor.get(url))
    data["label"] = "Edited by " + role
    response = client_for(role, world).post(url, data)
    assert outcome(response) == expected
    assert (MethodologyVersion.objects.get(pk=world.draft).label == "Edited by " + role) is changed


@pytest.mark.parametrize(("role", "published"), [
    ("anonymous", False), ("user", False), ("staff", False), ("editor", True), ("auditor", False),
    ("superuser", True),
])
def test_publishing_through_the_admin_action(world, role, published):
    response = client_for(role, world).post("/admin/methodology/methodologyversion/", {
        "action": "publish_action", "_selected_action": [world.draft], "index": "0",
    })
    assert response.status_code in (200, 302, 403)
    assert MethodologyVersion.objects.get(pk=world.draft).is_published is published


@pytest.mark.parametrize(("role", "published"), [
    ("anonymous", False), ("user", False), ("staff", False), ("editor", True), ("auditor", False),
    ("superuser", True),
])
def test_publishing_with_the_draft_s_button(world, role, published):
    client_for(role, world).post(f"/admin/methodology/methodologyversion/{world.draft}/publish/")
    assert MethodologyVersion.objects.get(pk=world.draft).is_published is published


@pytest.mark.parametrize("role", ["staff", "editor", "auditor", "superuser"])
def test_nobody_changes_a_published_version_through_the_admin(world, role):
    url = f"/admin/methodology/methodologyversion/{world.v1}/change/"
    data = change_form_data(client_for("superuser", world).get(url))
    data["label"] = "rewritten"
    client_for(role, world).post(url, data)
    assert client_for(role, world).post(f"/admin/methodology/methodologyversion/{world.v1}/delete/",
                                        {"post": "yes"}).status_code == 403
    assert MethodologyVersion.objects.get(pk=world.v1).label != "rewritten"


# --------------------------------------------------------------------------- API tokens


def token_client(token_text: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_text}")
    return client


def test_a_token_revoked_in_the_admin_stops_working(world):
    from knox.models import AuthToken

    token, text = AuthToken.objects.create(user=world.users["user"])
    client = token_client(text)
    assert client.get("/api/runs").status_code == 200
    # The token admin names a token by its digest (the token itself is not stored).
    response = client_for("superuser", world).post(f"/admin/knox/authtoken/{token.digest}/delete/",
                                                   {"post": "yes"})
    assert outcome(response) == DONE
    assert client.get("/api/runs").status_code == 401
    assert client.post("/api/energy", data=GOOD_CSV, content_type="text/csv").status_code == 401


def test_a_deactivated_user_s_token_stops_working(world):
    from knox.models import AuthToken

    user = world.users["user"]
    client = token_client(AuthToken.objects.create(user=user)[1])
    user.is_active = False
    user.save()
    assert client.get("/api/runs").status_code == 401


def test_a_made_up_token_is_a_401_with_the_json_error_shape(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/runs")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


# --------------------------------------------------------------------------- escaping


def assert_escaped(response, payload: str = XSS) -> None:
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert payload not in html, "the payload is in the page unescaped"
    assert payload in unescape(html), "the payload is not shown as text"


@pytest.mark.parametrize("page", ["/runs/", "/runs/{run}/", "/runs/compare?a={run}&b={other_run}"])
def test_a_script_in_a_label_renders_as_text(world, page):
    assert_escaped(client_for("user", world).get(page.format(**vars(world))))


def test_a_script_in_a_file_name_renders_as_text(world):
    payload = "<img src=x onerror=alert(1)>.csv"  # no slash: a file name keeps no path
    upload = SimpleUploadedFile(payload, b"", "text/csv")
    response = client_for("user", world).post("/runs/new", {"analytics_file": upload, "version": "1"})
    assert response.status_code == 400
    assert_escaped(response, payload)


def test_a_script_in_an_uploaded_value_renders_as_text(world):
    upload = SimpleUploadedFile("a.csv", f"date,profile,inferences\n2025-01-01,{XSS},1\n".encode(), "text/csv")
    response = client_for("user", world).post("/runs/new", {"analytics_file": upload, "version": "1"})
    assert response.status_code == 400
    assert_escaped(response)


def test_a_script_in_a_methodology_source_renders_as_text_and_its_url_as_a_link(world):
    draft = MethodologyVersion.objects.get(pk=world.draft)
    Region.objects.filter(version=draft, code="france").update(source=f"{XSS} see https://example.org/rte")
    version = publish_version(draft)
    response = client_for("user", world).get(f"/methodology/{version.number}/")
    assert_escaped(response)
    assert 'href="https://example.org/rte"' in response.content.decode()


def test_a_label_is_stored_as_sent(world):
    """Escaping happens on output: the stored label is the user's text, unchanged."""
    assert Run.objects.get(pk=world.run).label == XSS
