"""A NUL character (PostgreSQL refuses it in text) is refused at the door with 400 or a form error,
never a server error, wherever it arrives: any query parameter, any form field, on any page.

The walk takes every URL from the resolver (as the permission matrix does), opens each page as a
role allowed to use it, learns which parameters and fields the view reads (by recording its reads
of request.GET / request.POST, and from the names in the forms it renders), then sends each one
again carrying a NUL. Public hotline pages and the sign-in pages are walked as the public."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from cases.policy import PUBLIC, SIGNED_IN, STAFF
from cases.roles import Role
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.misconduct.test_permission_matrix import ENDPOINTS, role_allowed, url_for, world  # noqa: F401

NUL = "\x00"
# Most rights first, so most pages are walked by a role that sees their full forms.
ROLE_ORDER = [Role.SUPERVISOR, Role.COMMISSIONER, Role.INVESTIGATOR, Role.HOTLINE_TRIAGE, Role.PANEL_REVIEWER]
ROLE_ORDER += [r for r in Role.values if r not in ROLE_ORDER]
FIELD_NAME = re.compile(rb"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"]+)\"")
READS: dict[str, set[str]] = {"GET": set(), "POST": set()}


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every key a view (or a form it builds) asks for."""

    kind = "GET"

    def _note(self, key):
        if isinstance(key, str):
            READS[self.kind].add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def _recording(data, kind):
    copy = data.copy()
    copy.__class__ = RecordingQueryDict
    copy.kind = kind
    copy._mutable = False
    return copy


class RecordReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _recording(request.GET, "GET")
        if request.method == "POST":
            request.POST = _recording(request.POST, "POST")
        return self.get_response(request)


@pytest.fixture
def walk_settings(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RecordReadsMiddleware"]
    for name in ("SUBMIT", "LOOKUP"):
        setattr(settings, f"HOTLINE_{name}_RATE_PER_IP", "100000/m")
        setattr(settings, f"HOTLINE_{name}_RATE_GLOBAL", "100000/m")
    settings.HOTLINE_LOOKUP_DELAY_BASE = 0
    return settings


def probe(client, method, url, data):
    """One request in its own savepoint: a database error (the bug) must not poison the next probe,
    and what a probe wrote is undone."""
    savepoint = transaction.savepoint()
    try:
        response = getattr(client, method)(url, data)
        status = response.status_code
        if getattr(response, "streaming", False):
            try:
                b"".join(response.streaming_content)
            except Exception:  # a download that broke off after its 200 header
                status = 500
        return status, (b"" if getattr(response, "streaming", False) else response.content)
    finally:
        transaction.savepoint_rollback(savepoint)
        transaction.set_rollback(False)


def learn_and_probe(client, endpoint, url, failures):
    READS["GET"].clear()
    READS["POST"].clear()
    status, body = probe(client, "get", url, {})
    accepts_post = status == 405 or bool(re.search(rb"<form[^>]*method=\"post\"", body, re.I))
    html_names = {n.decode() for n in FIELD_NAME.findall(body)}
    get_names = READS["GET"] | html_names
    post_names = set()
    if status == 405 or accepts_post:
        probe(client, "post", url, {})
        post_names = READS["POST"] | html_names
    for name in sorted(get_names):
        code, _ = probe(client, "get", url, {name: f"x{NUL}"})
        if code >= 500:
            failures.append(f"GET {url}?{name}=NUL -> {code}")
    for name in sorted(post_names):
        code, _ = probe(client, "post", url, {name: f"x{NUL}"})
        if code >= 500:
            failures.append(f"POST {url} {name}=NUL -> {code}")
    if post_names:
        code, _ = probe(client, "post", url, dict.fromkeys(post_names, NUL))
        if code >= 500:
            failures.append(f"POST {url} every field NUL -> {code}")
    return get_names | post_names


@pytest.mark.django_db
def test_no_parameter_or_field_with_a_nul_gives_a_server_error(world, walk_settings):  # noqa: F811
    failures, probed = [], {}
    clients = {}
    for endpoint in ENDPOINTS:
        if endpoint.policy == STAFF:
            role = next((r for r in ROLE_ORDER if role_allowed(endpoint, r)), None)
            if role is None:
                continue
            if role not in clients:
                clients[role] = sign_in(Client(raise_request_exception=False), world["users"][role])
            client = clients[role]
        elif endpoint.policy == SIGNED_IN:
            client = Client(raise_request_exception=False)
            client.force_login(UserFactory(roles=[Role.INVESTIGATOR]))
        else:
            assert endpoint.policy == PUBLIC
            client = Client(raise_request_exception=False)
        url = url_for(endpoint, world["allowed"])
        probed[endpoint.name] = learn_and_probe(client, endpoint, url, failures)
    assert not failures, "NUL characters reached the database:\n" + "\n".join(failures)
    # Guards the walk itself: it did learn the parameters of the pages the finding named.
    assert {"q", "status", "investigator", "command"} <= probed["cases:case_list"]
    assert {"level", "rule", "command"} <= probed["risk:risk_list"]
    assert {"what_happened", "category"} <= probed["hotline:report"]
    assert {"username", "password"} <= probed["login"]


@pytest.mark.django_db
def test_a_nul_anywhere_in_the_request_is_refused_with_400(client, world):  # noqa: F811
    sign_in(client, world["users"][Role.SUPERVISOR])
    case_list = reverse("cases:case_list")
    assert client.get(case_list, {"q": NUL}).status_code == 400
    assert client.get(case_list, {f"q{NUL}": "x"}).status_code == 400
    assert client.get(f"{case_list}%00/").status_code == 404
    assert client.get("/risk/rules/a%00b/").status_code == 404
    assert client.post(reverse("hotline:report"), {"what_happened": f"a{NUL}b"}).status_code == 400
    api = client.post(reverse("v1:case-list"), '{"q": "\\u0000"}', content_type="application/json")
    assert api.status_code == 400
    client.cookies["sessionid"] = f"abc{NUL}def"
    assert client.get(case_list).status_code == 400


@pytest.mark.django_db
def test_an_over_long_username_on_the_sign_in_form_is_a_form_error(client):
    client.raise_request_exception = False
    response = client.post(reverse("login"), {"username": "u" * 256, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not get_user_model().objects.filter(username__startswith="uuu").exists()
