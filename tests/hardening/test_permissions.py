"""Who may do what, everywhere: every page and endpoint x every role, with the expected answer in each
cell. Then token revocation, and escaping of user-supplied text (labels, file names, sources) in HTML.

Roles: anonymous; a plain user (computes and reads runs); plain staff (reads the admin, changes
nothing); a methodology editor (staff in the "Methodology editors" group created by migration
methodology 0002: edits drafts and publishes); an auditor (staff in the "Auditors" group created by
migration audit 0003: reads every run, report, export, version and the ledger's checks, uploads and
re-evaluates nothing); a superuser.

Runs are shared inside the organisation: any logged-in user reads and re-evaluates any run (an audit
tool, not a multi-tenant service). The OpenAPI schema and its docs page are public: they hold no data.
"""

from __future__ import annotations

from html import unescape
from types import SimpleNamespace

import pytest
from admin_testing import change_form_data
from django.contrib.auth.models import Group
from django.test import Client
from django.core.files.uploadedfile import SimpleUploadedFile

from calculations.models import Run
from methodology.models import MethodologyVersion, Region
from methodology.services import create_draft, publish_version

from .conftest import GOOD_CSV

ROLES = ("anonymous", "user", "staff", "editor", "auditor", "superuser")
EDITORS_GROUP = "Methodology editors"
AUDITORS_GROUP = "Auditors"
XSS = "<script>alert(1)</script>"

# Expected answers: an HTTP status, or one of these redirects.
LOGIN = "login"  # 302 to the site's login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
DONE = "done"  # 302 somewhere else: the action was carried out


def everyone(status):
    """The same answer for every logged-in role; anonymous visitors are sent to log in (pages) or get 401 (API)."""
    def cell(kind):
        return {"anonymous": LOGIN if kind == "page" else 401, **{role: status for role in ROLES[1:]}}
    return cell


def all_but_auditors(status):
    """What changes the record (uploads, re-evaluations): every logged-in role but auditors, who get 403."""
    return lambda kind: {**everyone(status)(kind), "auditor": 403}


def admin(staff, editor, superuser, auditor=None):
    """Admin pages: visitors who are not staff are sent to the admin's login page. Auditors (staff) get what
    plain staff get unless told otherwise."""
    return lambda kind: {"anonymous": ADMIN_LOGIN, "user": ADMIN_LOGIN, "staff": staff, "editor": editor,
                         "auditor": staff if auditor is None else auditor, "superuser": superuser}


# (cell name, kind, method, url, data, expected per role). URLs are formatted with the world's ids.
MATRIX = [
    # Pages of the runs
    ("runs list page", "page", "get", "/runs/", None, everyone(200)),
    ("new run form", "page", "get", "/runs/new", None, all_but_auditors(200)),
    ("create a run with the form", "page", "post", "/runs/new", "upload", all_but_auditors(DONE)),
    ("run detail page", "page", "get", "/runs/{run}/", None, everyone(200)),
    ("re-evaluate with the form", "page", "post", "/runs/{run}/reevaluate", {"version": "1", "region": "germany"},
     all_but_auditors(DONE)),
    ("download a run as JSON", "page", "get", "/runs/{run}/download.json", None, everyone(200)),
    ("compare page", "page", "get", "/runs/compare?a={run}&b={other_run}", None, everyone(200)),
    ("methodology browser", "page", "get", "/methodology/", None, everyone(200)),
    ("methodology version page", "page", "get", "/methodology/1/", None, everyone(200)),
    # REST API
    ("API: list runs", "api", "get", "/api/runs", None, everyone(200)),
    ("API: create a run", "api", "post", "/api/energy", "csv", all_but_auditors(201)),
    ("API: compute without saving", "api", "post", "/api/energy?save=false", "csv", all_but_auditors(200)),
    ("API: read a run", "api", "get", "/api/runs/{run}", None, everyone(200)),
    ("API: a run's daily CSV", "api", "get", "/api/runs/{run}/daily.csv", None, everyone(200)),
    ("API: re-evaluate", "api", "post", "/api/runs/{run}/reevaluate", {"region": "germany"}, all_but_auditors(201)),
    ("API: compare", "api", "get", "/api/compare?a={run}&b={other_run}", None, everyone(200)),
    ("API: methodology versions", "api", "get", "/api/methodology/versions", None, everyone(200)),
    ("API: a methodology version", "api", "get", "/api/methodology/versions/1", None, everyone(200)),
    ("API: schema", "api", "get", "/api/schema", None, everyone(200)),
    ("API docs page (Swagger UI)", "page", "get", "/api/docs", None, everyone(200)),
    # Admin
    ("admin index", "admin", "get", "/admin/", None, admin(200, 200, 200)),
    ("admin: versions list", "admin", "get", "/admin/methodology/methodologyversion/", None, admin(200, 200, 200)),
    ("admin: a draft's page", "admin", "get", "/admin/methodology/methodologyversion/{draft}/change/", None,
     admin(200, 200, 200)),
    ("admin: a version diff", "admin", "get", "/admin/methodology/methodologyversion/{draft}/diff/", None,
     admin(200, 200, 200)),
    ("admin: users", "admin", "get", "/admin/auth/user/", None, admin(403, 403, 200)),
    ("admin: API tokens", "admin", "get", "/admin/knox/authtoken/", None, admin(403, 403, 200)),
    ("admin: derive a draft", "admin", "post", "/admin/methodology/methodologyversion/{v1}/new-draft/", {},
     admin(403, DONE, DONE)),
    ("admin: ledger checks", "admin", "get", "/admin/audit/ledgercheck/", None, admin(403, 403, 200, auditor=200)),
    ("admin: ledger entries", "admin", "get", "/admin/audit/ledgerentry/", None, admin(403, 403, 200, auditor=200)),
    ("admin: add a ledger check", "admin", "get", "/admin/audit/ledgercheck/add/", None, admin(403, 403, 403)),
    # The run's printable report and exports, and the ledger's seal on them, are everyone's to read.
    ("run report page", "page", "get", "/runs/{run}/report", None, everyone(200)),
    ("download a run's daily CSV", "page", "get", "/runs/{run}/download.csv", None, everyone(DONE)),  # to the API's
]


@pytest.fixture
def world(db, methodology_v1, django_user_model):
    """Users of each role, two runs by someone else, and a draft derived from version 1 (France's carbon
    intensity changed, so that it may be published)."""
    make = django_user_model.objects.create_user
    users = {
        "user": make("plain", password="pw-plain-5001"),
        "staff": make("staff", password="pw-staff-5001", is_staff=True),
        "editor": make("editor", password="pw-editor-5001", is_staff=True),
        "superuser": django_user_model.objects.create_superuser("root", password="pw-root-5001"),
    }
    users["editor"].groups.add(Group.objects.get(name=EDITORS_GROUP))
    users["auditor"] = make("auditor", password="pw-auditor-5001", is_staff=True)
    users["auditor"].groups.add(Group.objects.get(name=AUDITORS_GROUP))
    owner = make("owner", password="pw-owner-5001")
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(owner)
    runs = [api.post(f"/api/energy?label={XSS}", data=GOOD_CSV, content_type="text/csv").json()["run"]["id"]
            for _ in range(2)]
    draft = create_draft(methodology_v1)
    Region.objects.filter(version=draft, code="france").update(carbon_intensity_value=60, carbon_intensity_high=60)
    return SimpleNamespace(users=users, run=runs[0], other_run=runs[1], draft=draft.pk, v1=methodology_v1.pk)


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


CELLS = [
    pytest.param(method, url, data, role, expected(kind)[role], id=f"{name} | {role}")
    for name, kind, method, url, data, expected in MATRIX
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
