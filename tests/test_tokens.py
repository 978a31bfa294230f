"""API tokens (django-rest-knox, core/tokens.py): they expire, die on logout and on any password change, and their
holders and administrators can list and revoke them, over the API and in the admin.

The clock is moved by patching ``django.utils.timezone.now``; nothing sleeps.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import ApiToken
from core.tokens import issue_token
from review.roles import Role, ensure_role_groups
from statistics.tests.factories import UserFactory

API = "/api/v1"
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long unusual passphrase"
SIGNED_IN_ONLY = f"{API}/tokens/"  # any request that needs a signed-in user


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


def person(username: str, role: Role | None = None, **extra):
    user = UserFactory(username=username, **extra)
    user.set_password(PASSWORD)
    user.save()
    if role is not None:
        user.groups.add(ensure_role_groups()[role])
    return user


def sign_in(username: str, password: str = PASSWORD) -> dict:
    response = APIClient().post(f"{API}/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# Refused credentials get 403 rather than 401 because session authentication comes first in the settings (DRF
# answers 401 only when the first scheme names a WWW-Authenticate challenge).
REFUSED = (401, 403)


def works(token: str) -> bool:
    status = with_token(token).get(SIGNED_IN_ONLY).status_code
    assert status == 200 or status in REFUSED, status
    return status == 200


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.mark.django_db
def test_a_token_is_issued_with_its_expiry_and_only_its_hash_is_stored(settings):
    person("officer-beijing")
    moment = timezone.now()
    with at(moment):
        issued = sign_in("officer-beijing")
    assert set(issued) == {"token", "key_prefix", "expiry"}
    assert issued["token"].startswith(issued["key_prefix"])
    stored = ApiToken.objects.get()
    assert stored.expiry == moment + timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    assert issued["token"] not in {stored.digest, stored.token_key}
    assert works(issued["token"])


def test_the_default_lifetime_is_a_working_day_or_so(settings):
    assert 8 <= settings.API_TOKEN_TTL_HOURS <= 24


@pytest.mark.django_db
def test_a_token_stops_working_when_it_expires(settings):
    person("officer-beijing")
    issued = sign_in("officer-beijing")
    lifetime = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    with at(timezone.now() + lifetime - timedelta(minutes=1)):
        assert works(issued["token"])
    with at(timezone.now() + lifetime + timedelta(minutes=1)):
        response = with_token(issued["token"]).get(SIGNED_IN_ONLY)
        assert response.status_code in REFUSED
        assert "过期" in response.json()["detail"]
    # Refusing an expired token writes nothing (a read stays a read, even on a read-only database).
    assert ApiToken.objects.filter(token_key=issued["key_prefix"]).exists()


@pytest.mark.django_db
def test_a_new_token_purges_the_users_expired_ones(settings):
    person("officer-beijing")
    old = sign_in("officer-beijing")
    with at(timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1)):
        sign_in("officer-beijing")
    assert not ApiToken.objects.filter(token_key=old["key_prefix"]).exists()
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_logout_ends_that_token_and_no_other():
    person("officer-beijing")
    first, second = sign_in("officer-beijing"), sign_in("officer-beijing")
    assert with_token(first["token"]).post(f"{API}/token/logout/").status_code == 204
    assert not works(first["token"])
    assert works(second["token"])


@pytest.mark.django_db
def test_logout_needs_the_token_itself():
    user = person("officer-beijing")
    issued = sign_in("officer-beijing")
    by_session = APIClient()
    by_session.force_login(user)  # signed in with a session: there is no token to end
    assert by_session.post(f"{API}/token/logout/").status_code == 401
    assert APIClient().post(f"{API}/token/logout/").status_code == 401
    assert works(issued["token"])


@pytest.mark.django_db
def test_logoutall_ends_every_token_of_the_caller_only():
    person("officer-beijing")
    person("officer-tianjin")
    mine = [sign_in("officer-beijing") for _ in range(3)]
    theirs = sign_in("officer-tianjin")
    assert with_token(mine[0]["token"]).post(f"{API}/token/logoutall/").status_code == 204
    assert not any(works(issued["token"]) for issued in mine)
    assert works(theirs["token"])


@pytest.mark.django_db
def test_a_password_set_in_code_ends_every_token():
    user = person("officer-beijing")
    issued = [sign_in("officer-beijing"), sign_in("officer-beijing")]
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not any(works(token["token"]) for token in issued)
    assert works(sign_in("officer-beijing", NEW_PASSWORD)["token"])


@pytest.mark.django_db
def test_a_hash_assigned_directly_ends_every_token():
    user = person("officer-beijing")
    issued = sign_in("officer-beijing")
    user.password = make_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert not works(issued["token"])


@pytest.mark.django_db
def test_the_admin_password_form_ends_every_token(client):
    administrator = person("root", is_staff=True, is_superuser=True)
    person("officer-beijing")
    issued = sign_in("officer-beijing")
    client.force_login(administrator)
    target = ApiToken.objects.get().user
    response = client.post(
        f"/admin/auth/user/{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not works(issued["token"])


@pytest.mark.django_db
def test_the_changepassword_command_ends_every_token():
    person("officer-beijing")
    issued = sign_in("officer-beijing")
    with mock.patch("getpass.getpass", return_value=NEW_PASSWORD):
        call_command("changepassword", "officer-beijing", stdout=mock.Mock())
    assert not works(issued["token"])


@pytest.mark.django_db
def test_other_saves_of_the_user_keep_the_tokens():
    user = person("officer-beijing")
    issued = sign_in("officer-beijing")
    user.first_name = "Wei"
    user.save()
    user.refresh_from_db()
    user.save()
    assert works(issued["token"])


@pytest.mark.django_db
def test_django_upgrading_the_hash_of_the_same_password_keeps_the_tokens(settings):
    """At sign-in Django re-hashes a password stored with an outdated hasher; that is not a password change."""
    settings.PASSWORD_HASHERS = [
        "tests.test_tokens.QuickPBKDF2PasswordHasher",  # preferred, so MD5 hashes get upgraded at sign-in
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = UserFactory(username="officer-beijing", password=make_password(PASSWORD, hasher="md5"))
    issued = sign_in("officer-beijing")
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # upgraded during that sign-in
    sign_in("officer-beijing")
    assert works(issued["token"])


@pytest.mark.django_db
def test_a_session_logout_keeps_the_tokens(client):
    user = person("officer-beijing", is_staff=True)
    issued = sign_in("officer-beijing")
    client.force_login(user)
    assert client.post("/admin/logout/").status_code == 200
    assert works(issued["token"])


@pytest.mark.django_db
def test_everyone_lists_their_own_live_tokens_and_administrators_everybodys(settings):
    person("officer-beijing", Role.OFFICER)
    person("reviewer", Role.REVIEWER)
    person("administrator", Role.ADMINISTRATOR)
    mine = sign_in("officer-beijing")
    with at(timezone.now() - timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1)):
        sign_in("officer-beijing")  # expired by now: not listed
    reviewers = sign_in("reviewer")
    administrators = sign_in("administrator")

    listed = with_token(mine["token"]).get(f"{API}/tokens/").json()["results"]
    assert [row["key_prefix"] for row in listed] == [mine["key_prefix"]]
    assert set(listed[0]) == {"key_prefix", "username", "created", "expiry"}  # never the token nor its hash
    assert listed[0]["username"] == "officer-beijing"

    reviewer_sees = with_token(reviewers["token"]).get(f"{API}/tokens/").json()["results"]
    assert [row["key_prefix"] for row in reviewer_sees] == [reviewers["key_prefix"]]

    everyone = with_token(administrators["token"]).get(f"{API}/tokens/").json()["results"]
    assert {row["key_prefix"] for row in everyone} == {
        mine["key_prefix"],
        reviewers["key_prefix"],
        administrators["key_prefix"],
    }


@pytest.mark.django_db
def test_the_token_list_needs_a_signed_in_user():
    assert APIClient().get(f"{API}/tokens/").status_code in REFUSED


@pytest.mark.django_db
def test_a_holder_revokes_their_own_token_by_key_prefix():
    person("officer-beijing", Role.OFFICER)
    kept, revoked = sign_in("officer-beijing"), sign_in("officer-beijing")
    response = with_token(kept["token"]).delete(f"{API}/tokens/{revoked['key_prefix']}/")
    assert response.status_code == 204
    assert not works(revoked["token"])
    assert works(kept["token"])


@pytest.mark.django_db
def test_nobody_but_an_administrator_revokes_someone_elses_token():
    person("officer-beijing", Role.OFFICER)
    person("reviewer", Role.REVIEWER)
    person("administrator", Role.ADMINISTRATOR)
    officers = sign_in("officer-beijing")
    reviewers = sign_in("reviewer")
    refused = with_token(reviewers["token"]).delete(f"{API}/tokens/{officers['key_prefix']}/")
    assert refused.status_code == 404  # not even told that it exists
    assert "令牌" in refused.json()["detail"]
    assert works(officers["token"])
    administrators = sign_in("administrator")
    assert with_token(administrators["token"]).delete(f"{API}/tokens/{officers['key_prefix']}/").status_code == 204
    assert not works(officers["token"])


@pytest.mark.django_db
def test_a_malformed_authorization_header_is_a_401_not_a_500():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"))
    assert client.get(SIGNED_IN_ONLY).status_code in REFUSED
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(SIGNED_IN_ONLY).status_code in REFUSED


@pytest.mark.django_db
def test_the_admin_lists_own_tokens_for_staff_and_all_for_administrators(client):
    officer = person("officer-beijing", Role.OFFICER, is_staff=True)
    administrator = person("administrator", Role.ADMINISTRATOR, is_staff=True)
    officers = sign_in("officer-beijing")
    administrators = sign_in("administrator")

    client.force_login(officer)
    page = client.get("/admin/core/apitoken/")
    assert page.status_code == 200
    assert officers["key_prefix"] in page.content.decode()
    assert administrators["key_prefix"] not in page.content.decode()
    assert client.get("/admin/core/apitoken/add/").status_code == 403

    client.force_login(administrator)
    page = client.get("/admin/core/apitoken/")
    assert officers["key_prefix"] in page.content.decode()
    assert administrators["key_prefix"] in page.content.decode()


@pytest.mark.django_db
def test_the_admin_revokes_selected_tokens(client):
    officer = person("officer-beijing", Role.OFFICER, is_staff=True)
    issued = sign_in("officer-beijing")
    client.force_login(officer)
    response = client.post(
        "/admin/core/apitoken/",
        {"action": "revoke_selected", "_selected_action": [ApiToken.objects.get().pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "已吊销 1 个 API 令牌" in response.content.decode()
    assert not works(issued["token"])


@pytest.mark.django_db
def test_issue_token_is_the_one_way_tokens_are_made():
    user = person("officer-beijing")
    token, key = issue_token(user)
    assert works(key)
    assert token.token_key == key[: len(token.token_key)]
