"""Sign-in throttling (django-axes, core/throttling.py): per account across addresses, per address across accounts,
the same on the token endpoint and the admin login, a translated 429, and a correct sign-in after the cool-off.

Limits are set small with settings overrides; the clock is moved by patching the time axes reads, never by sleeping.
"""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.test import APIClient

from statistics.tests.factories import UserFactory

TOKEN_URL = "/api/v1/token/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
LIMIT = 3


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing for the tests
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def person(username: str, **extra):
    user = UserFactory(username=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def token_attempt(username: str, password: str, address: str = "10.0.0.1"):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def later(minutes: int):
    """Move the clock that axes reads (the time of each attempt) forward."""
    return mock.patch("axes.handlers.proxy.now", return_value=timezone.now() + timedelta(minutes=minutes))


@pytest.mark.django_db
def test_200_wrong_passwords_on_the_token_endpoint_are_stopped():
    person("officer-beijing")
    statuses = [token_attempt("officer-beijing", f"guess {n}").status_code for n in range(200)]
    # The failure that reaches the limit is answered with the lockout already.
    assert statuses[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}
    refused = token_attempt("officer-beijing", PASSWORD)
    assert refused.status_code == 429  # even the right password, while locked out
    assert "登录" in refused.json()["detail"]
    assert int(refused["Retry-After"]) == 15 * 60
    # Attempts made while locked out are not counted: the cool-off runs from the last counted failure.
    assert AccessAttempt.objects.get().failures_since_start == LIMIT


@pytest.mark.django_db
def test_200_wrong_passwords_on_the_admin_login_are_stopped(client):
    person("admin-person", is_staff=True)
    statuses = [admin_attempt(client, "admin-person", f"guess {n}").status_code for n in range(200)]
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the login form again, with its error
    assert set(statuses[LIMIT - 1 :]) == {429}
    refused = admin_attempt(client, "admin-person", PASSWORD)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "登录失败次数过多" in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_is_in_english_for_who_chose_english():
    person("officer-beijing")
    for n in range(LIMIT):
        token_attempt("officer-beijing", f"guess {n}")
    client = APIClient()
    client.cookies["django_language"] = "en"
    refused = client.post(TOKEN_URL, {"username": "officer-beijing", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.json()["detail"]


@pytest.mark.django_db
def test_an_account_is_locked_whatever_address_the_guesses_come_from():
    person("officer-beijing")
    person("officer-tianjin")
    for n in range(LIMIT):
        expected = 400 if n < LIMIT - 1 else 429
        assert token_attempt("officer-beijing", "wrong", address=f"192.0.2.{n + 1}").status_code == expected
    # A new address does not help the attacker, nor the owner while the cool-off runs ...
    assert token_attempt("officer-beijing", PASSWORD, address="198.51.100.7").status_code == 429
    # ... but nobody else is locked out by it, from that new address or from the guessing ones.
    assert token_attempt("officer-tianjin", PASSWORD, address="198.51.100.7").status_code == 200
    assert token_attempt("officer-tianjin", PASSWORD, address="192.0.2.1").status_code == 200


@pytest.mark.django_db
def test_an_address_is_locked_whatever_accounts_it_guesses(client):
    person("officer-beijing", is_staff=True)
    for n in range(LIMIT):
        expected = 400 if n < LIMIT - 1 else 429
        assert token_attempt(f"someone-{n}", "wrong", address="203.0.113.9").status_code == expected
    # From that address, even a real account with its right password is refused, on both doors ...
    assert token_attempt("officer-beijing", PASSWORD, address="203.0.113.9").status_code == 429
    assert admin_attempt(client, "officer-beijing", PASSWORD, address="203.0.113.9").status_code == 429
    # ... while the same account signs in from elsewhere.
    assert token_attempt("officer-beijing", PASSWORD, address="198.51.100.7").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout():
    person("officer-beijing")
    for n in range(LIMIT):
        token_attempt(f"someone-{n}", "wrong", address="203.0.113.9")
    forged = APIClient().post(
        TOKEN_URL,
        {"username": "officer-beijing", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert forged.status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_the_proxy_saw_counts(settings):
    settings.LOGIN_THROTTLE_BEHIND_PROXY = True
    person("officer-beijing")
    proxy = "10.1.1.1"
    for n in range(LIMIT):
        APIClient().post(
            TOKEN_URL,
            {"username": f"someone-{n}", "password": "x"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    # Another client behind the same proxy is not locked out; the guessing one is.
    other = APIClient().post(
        TOKEN_URL,
        {"username": "officer-beijing", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert other.status_code == 200
    guesser = APIClient().post(
        TOKEN_URL,
        {"username": "officer-beijing", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",  # what the client sent first, then what the proxy saw
    )
    assert guesser.status_code == 429


@pytest.mark.django_db
def test_a_correct_sign_in_after_the_cool_off_works(client):
    person("officer-beijing", is_staff=True)
    for n in range(LIMIT):
        token_attempt("officer-beijing", f"guess {n}")
    with later(14):
        assert token_attempt("officer-beijing", PASSWORD).status_code == 429
    with later(16):
        response = token_attempt("officer-beijing", PASSWORD)
        assert response.status_code == 200
        assert response.json()["token"]
        assert admin_attempt(client, "officer-beijing", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_wrong_password_is_still_a_plain_refusal_before_the_limit():
    person("officer-beijing")
    response = token_attempt("officer-beijing", "wrong")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


@pytest.mark.django_db
def test_missing_fields_are_a_400_and_not_counted():
    response = APIClient().post(TOKEN_URL, {"username": "officer-beijing"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 400
    assert "password" in response.json()
    assert not AccessAttempt.objects.exists()
