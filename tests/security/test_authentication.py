"""Sign-in is throttled, sessions expire, passwords are checked, and writes need a signed-in
user with a CSRF token; the API takes no writes at all."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_is_locked_after_five_failures_even_with_the_right_password(client, settings):
    make_user("editor", username="amina")
    statuses = [
        _sign_in(client, "amina", "wrong password").status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]

    response = _sign_in(client, "amina", PASSWORD)

    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert b"locked" in response.content.lower()


def test_failures_below_the_limit_still_let_the_right_password_in(client, settings):
    make_user("editor", username="bilal")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "bilal", "wrong password")

    response = _sign_in(client, "bilal", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_lockout_of_one_user_does_not_lock_another_from_the_same_address(client, settings):
    make_user("editor", username="chen")
    make_user("editor", username="dania")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "chen", "wrong password")

    assert _sign_in(client, "dania", PASSWORD).status_code == 302


def test_a_session_ends_after_a_working_day_and_with_the_browser(client, settings):
    user = make_user("editor", username="erum")
    assert _sign_in(client, "erum", PASSWORD).status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    assert client.get("/workspace/").status_code == 200
    session = Session.objects.get(session_key=cookie.value)
    assert session.expire_date - timezone.now() <= datetime.timedelta(hours=8)

    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/workspace/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert user.pk  # the account itself is untouched


@pytest.mark.parametrize(
    "new_password, reason",
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("7391048265", "entirely numeric"),
        ("fatima.khan", "too similar"),
    ],
)
def test_weak_passwords_are_refused(client, new_password, reason):
    user = make_user("editor", username="fatima.khan", email="fatima.khan@example.org")
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert response.status_code == 200
    assert reason in response.content.decode().lower()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/zones/", "/api/zones/rashakai/"])
def test_the_api_refuses_every_write_even_from_an_administrator(method, path):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("administrator", is_superuser=True))

    response = getattr(client, method)(
        path, data={"name": "Renamed", "slug": "x"}, content_type="application/json"
    )

    assert response.status_code in (403, 405)
    assert response.status_code == 405 or "CSRF" in response.json()["detail"]
    assert ZoneFactory._meta.model.objects.get().name == "Rashakai SEZ"


def test_the_api_refuses_writes_with_a_405_when_the_csrf_token_is_right(client):
    ZoneFactory(slug="rashakai")
    client.force_login(make_user("administrator", is_superuser=True))

    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            "/api/zones/rashakai/", data={}, content_type="application/json"
        )
        assert response.status_code == 405, method
        assert set(response["Allow"].replace(" ", "").split(",")) <= {"GET", "HEAD", "OPTIONS"}


def test_a_workspace_post_without_the_csrf_token_is_refused():
    zone = ZoneFactory(province__code="PK-PB")
    milestone = MilestoneFactory(zone=zone, status="in_progress")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("administrator"))

    edit = client.post(
        f"/workspace/edit/milestone/{milestone.pk}/",
        {"status": "done", "comment": "Forged", "base": "x"},
    )
    upload = client.post("/workspace/imports/", {"file": ""})

    assert edit.status_code == 403
    assert upload.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_signing_in_needs_the_csrf_token():
    make_user("editor", username="gul")
    client = Client(enforce_csrf_checks=True)

    response = _sign_in(client, "gul", PASSWORD)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
