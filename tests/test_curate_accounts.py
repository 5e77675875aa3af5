"""Curator accounts (issue 16): the CLI, sign-in and sign-out, the session cookie, CSRF, throttling, and no write
route at all without an account."""

from __future__ import annotations

import dataclasses
import re
import stat
import threading

import pytest
from click.testing import CliRunner

from spacegraph.cli import cli
from spacegraph.web import create_app
from spacegraph.web.curate.accounts import Accounts, Throttle

PASSWORD = "correct horse battery"


@pytest.fixture
def settings(built_settings, tmp_path):
    return dataclasses.replace(built_settings, var=str(tmp_path / "var"), secret_key="")


def user(settings, *args, password=PASSWORD):
    runner = CliRunner()
    return runner.invoke(cli, ["--store", str(settings.store), "--data", str(settings.data), "user", *args],
                         input=password + "\n", env={"SPACEGRAPH_VAR": settings.var})  # fmt: skip


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, name="alice", password=PASSWORD, **extra):
    form = {"csrf_token": token(client.get("/curate/sign-in").get_data(as_text=True)), "name": name,
            "password": password, **extra}  # fmt: skip
    return client.post("/curate/sign-in", data=form)


def test_without_accounts_no_curator_route_exists(settings):
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    assert client.get("/curate/sign-in").status_code == 404
    assert client.post("/curate/sign-in", data={"name": "x", "password": "y"}).status_code == 404
    assert client.get("/curate/").status_code == 404
    assert "Sign in" not in client.get("/").get_data(as_text=True)
    assert not (settings.var_dir / "secret_key").exists()


def test_user_commands_add_list_change_and_remove_accounts(settings):
    assert user(settings, "add", "alice", "--role", "admin", "--password-stdin").exit_code == 0
    path = settings.var_dir / "curators.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PASSWORD not in path.read_text()
    assert user(settings, "list").output == "alice\tadmin\n"
    again = user(settings, "add", "alice", "--password-stdin")
    assert again.exit_code == 1 and "exists" in again.output
    assert "too short" in user(settings, "add", "bob", "--password-stdin", password="short").output
    assert "account name" in user(settings, "add", "Bob Smith", "--password-stdin").output
    before = Accounts(settings).get("alice").hash
    assert user(settings, "password", "alice", "--password-stdin", password="another long one").exit_code == 0
    assert Accounts(settings).get("alice").hash != before
    assert Accounts(settings).verify("alice", "another long one") is not None
    assert user(settings, "remove", "alice").exit_code == 0
    assert "No accounts" in user(settings, "list").output
    assert user(settings, "remove", "alice").exit_code == 1


def test_the_password_prompt_asks_twice(settings):
    result = CliRunner().invoke(cli, ["--store", str(settings.store), "user", "add", "carol"],
                                input=f"{PASSWORD}\n{PASSWORD}\n", env={"SPACEGRAPH_VAR": settings.var})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output


@pytest.fixture
def app(settings):
    Accounts(settings).add("alice", "curator", PASSWORD)
    return create_app({"SETTINGS": settings, "TESTING": True})


def test_sign_in_sets_a_protected_cookie_and_sign_out_ends_the_session(app, settings):
    client = app.test_client()
    assert client.get("/curate/").status_code == 302
    answer = sign_in(client, next="/curate/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/curate/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = client.get("/curate/").get_data(as_text=True)
    assert "Signed in as <strong>alice</strong>" in page
    assert client.post("/curate/sign-out", data={"csrf_token": token(page)}).status_code == 302
    assert client.get("/curate/").status_code == 302
    mode = stat.S_IMODE((settings.var_dir / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_over_https_the_cookie_is_secure(app):
    client = app.test_client()
    page = client.get("/curate/sign-in", base_url="https://localhost").get_data(as_text=True)
    form = {"csrf_token": token(page), "name": "alice", "password": PASSWORD}
    answer = client.post("/curate/sign-in", data=form, base_url="https://localhost",
                         headers={"Referer": "https://localhost/curate/sign-in"})  # fmt: skip
    assert answer.status_code == 302 and "Secure" in answer.headers["Set-Cookie"]


def test_a_post_without_a_csrf_token_is_refused(app):
    client = app.test_client()
    answer = client.post("/curate/sign-in", data={"name": "alice", "password": PASSWORD})
    assert answer.status_code == 400 and "CSRF" in answer.get_data(as_text=True)
    assert client.get("/curate/").status_code == 302  # not signed in


@pytest.mark.parametrize("target", ["//evil.example/x", "/\t/evil.example", "/\\evil.example", "/\n/evil.example"])
def test_sign_in_goes_only_to_a_path_of_this_site(app, target):
    answer = sign_in(app.test_client(), next=target)
    assert answer.status_code == 302 and answer.headers["Location"] == "/curate/"


def test_sign_in_goes_on_to_the_page_asked_for(app):
    assert sign_in(app.test_client(), next="/id/person/bhavya-lal").headers["Location"] == "/id/person/bhavya-lal"


def test_five_wrong_passwords_are_throttled_for_the_account(app, settings):
    client = app.test_client()
    for _ in range(Throttle.LIMIT):
        assert sign_in(client, password="wrong password!").status_code == 401
    answer = sign_in(client)  # the right password, too late
    assert answer.status_code == 429 and "Too many failed sign-ins" in answer.get_data(as_text=True)
    other = app.test_client()  # the same account from anywhere: throttled too
    assert sign_in(other).status_code == 429


def test_failures_from_one_address_turn_wrong_passwords_away_but_not_a_curator_who_knows_theirs(app, settings):
    """Behind a reverse proxy everyone has one address: failures under other names must not lock alice out."""
    client = app.test_client()
    for number in range(Throttle.LIMIT):
        assert sign_in(client, name=f"guess{number}", password="wrong password!").status_code == 401
    assert sign_in(client, name="bob", password="wrong password!").status_code == 429  # still counted against bob
    assert sign_in(app.test_client()).status_code == 302  # alice, with her password


def test_a_removed_account_or_a_changed_password_signs_the_session_out(app, settings):
    client = app.test_client()
    sign_in(client)
    assert client.get("/curate/").status_code == 200
    Accounts(settings).set_password("alice", "a new password here")
    assert client.get("/curate/").status_code == 302


def test_admins_manage_accounts_in_the_browser_and_curators_may_not(app, settings):
    Accounts(settings).add("root", "admin", PASSWORD)
    curator = app.test_client()
    sign_in(curator)
    assert curator.get("/curate/accounts/").status_code == 403
    admin = app.test_client()
    sign_in(admin, "root")
    page = admin.get("/curate/accounts/").get_data(as_text=True)
    form = {"csrf_token": token(page), "name": "dora", "role": "curator", "password": "dora's long password"}
    assert "Added dora." in admin.post("/curate/accounts/", data={**form, "action": "add"}).get_data(as_text=True)
    assert Accounts(settings).verify("dora", "dora's long password") is not None
    refused = admin.post("/curate/accounts/", data={**form, "name": "root", "action": "remove"})
    assert refused.status_code == 422 and "your own account" in refused.get_data(as_text=True)
    admin.post("/curate/accounts/", data={**form, "name": "alice", "action": "remove"})
    assert Accounts(settings).get("alice") is None
    assert curator.get("/curate/").status_code == 302  # alice's session ended with her account
    assert "Accounts" in admin.get("/curate/").get_data(as_text=True)


def test_attempts_at_the_same_moment_cannot_all_pass_the_throttle(settings):
    """Checked and counted under the file's lock: of 20 attempts at once, exactly LIMIT may try a password."""
    throttle = Throttle(settings)
    start = threading.Barrier(20)
    waits: list[int] = []

    def attempt() -> None:
        start.wait()
        waits.append(throttle.attempt(["account:alice"]))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waits) == 20  # every attempt answered (a thread that raised would add nothing)
    assert waits.count(0) == Throttle.LIMIT and min(w for w in waits if w != 0) > 0
    throttle.succeeded("account:alice")
    assert throttle.wait(["account:alice"]) == 0
