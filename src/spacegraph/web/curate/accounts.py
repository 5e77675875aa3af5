"""Curator accounts: a name, a role (curator or admin) and an argon2 hash of the password, in one JSON file under
the var directory, written whole (a temporary file, fsynced, renamed) with mode 0600 under a file lock.

The app's secret key lives beside it (``secret_key``), and so do the sign-in failures (``Throttle``): they are kept
in a file rather than in memory so that every web worker, and a restarted server, counts the same failures.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from spacegraph.settings import Settings
from spacegraph.store.oxigraph import writer_lock

ROLES = ("curator", "admin")
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
MIN_PASSWORD = 10
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A name, role or password that cannot be used, or an account that does not exist; nothing was changed."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def stamp(self) -> str:
        """Changes when the password does: a session signed in with an older password is no longer valid."""
        return self.hash[-16:]


def write_private(path: Path, text: str) -> None:
    """``text`` into ``path``, whole or not at all, readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


class Accounts:
    """The accounts file of ``settings`` (``VAR/curators.json``)."""

    def __init__(self, settings: Settings):
        self.path = settings.var_dir / "curators.json"

    def all(self) -> dict[str, Account]:
        if not self.path.exists():
            return {}
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise AccountError(f"{self.path} cannot be read ({error}): restore it, or remove it and add the accounts "
                               "again with `spacegraph user add`") from error  # fmt: skip
        return {row["name"]: Account(**row) for row in rows}

    def exist(self) -> bool:
        return bool(self.all())

    def get(self, name: str) -> Account | None:
        return self.all().get(name)

    def verify(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password; None otherwise (also for an unknown name, after the same
        work, so that the time taken does not tell which names exist)."""
        account = self.get(name)
        try:
            _HASHER.verify(account.hash if account else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return account

    def add(self, name: str, role: str, password: str) -> Account:
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
        account = Account(name, role, _HASHER.hash(check_password(password)))
        with self._changing() as accounts:
            if name in accounts:
                raise AccountError(f"an account named {name!r} exists: use `spacegraph user password {name}`")
            accounts[name] = account
        return account

    def set_password(self, name: str, password: str) -> None:
        hashed = _HASHER.hash(check_password(password))
        with self._changing() as accounts:
            accounts[name] = Account(name, self._existing(accounts, name).role, hashed)

    def remove(self, name: str) -> None:
        with self._changing() as accounts:
            del accounts[self._existing(accounts, name).name]

    @staticmethod
    def _existing(accounts: dict[str, Account], name: str) -> Account:
        if name not in accounts:
            raise AccountError(f"no account named {name!r}: `spacegraph user list` shows them")
        return accounts[name]

    @contextmanager
    def _changing(self) -> Iterator[dict[str, Account]]:
        with writer_lock(self.path):  # one writer of the file at a time: the CLI, the web workers
            accounts = self.all()
            yield accounts
            rows = [asdict(account) for account in sorted(accounts.values(), key=lambda a: a.name)]
            write_private(self.path, json.dumps(rows, indent=2) + "\n")


_DUMMY = _HASHER.hash(secrets.token_hex(16))


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise AccountError(f"cannot use {name!r} as an account name: 1 to 40 lower-case letters, digits, '.', '_' "
                           "or '-', starting with a letter or digit")  # fmt: skip
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    return password


def secret_key(settings: Settings) -> str:
    """``SPACEGRAPH_SECRET_KEY``, or the key generated once into ``VAR/secret_key`` (0600); the web workers that
    start together all read the one that was written first."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.var_dir / "secret_key"
    if not path.exists():
        temporary = path.with_name(f".secret_key.{os.getpid()}.new.tmp")
        write_private(temporary, secrets.token_hex(32))
        try:
            os.link(temporary, path)  # fails when another worker was first: its key is kept
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text(encoding="utf-8").strip()


class Throttle:
    """Sign-in failures per account and per address, in ``VAR/sign-in-failures.json``: after ``LIMIT`` failures
    within ``WINDOW`` seconds, that account (or address) may not sign in until the oldest of them is ``WINDOW``
    seconds old. A success clears the account's failures."""

    LIMIT = 5
    WINDOW = 15 * 60

    def __init__(self, settings: Settings):
        self.path = settings.var_dir / "sign-in-failures.json"

    def wait(self, keys: list[str], now: float | None = None) -> int:
        """Seconds until any of ``keys`` (``account:NAME``, ``address:IP``) may try again; 0: now."""
        now = time.time() if now is None else now
        return self._wait(self._read(now), keys, now)

    def attempt(self, keys: list[str]) -> int:
        """``wait``, and when it is 0, this attempt counted as a failure of ``keys`` until ``succeeded`` clears it:
        checked and counted under the file's lock, so requests at the same moment cannot all pass the check."""
        with self._changing() as failures:
            now = time.time()
            if wait := self._wait(failures, keys, now):
                return wait
            for key in keys:
                failures.setdefault(key, []).append(now)
            return 0

    def _wait(self, failures: dict[str, list[float]], keys: list[str], now: float) -> int:
        waits = [int(sorted(failures[k])[-self.LIMIT] + self.WINDOW - now) + 1 for k in keys
                 if len(failures.get(k, [])) >= self.LIMIT]  # fmt: skip
        return max(waits, default=0)

    def failed(self, keys: list[str]) -> None:
        with self._changing() as failures:
            for key in keys:
                failures.setdefault(key, []).append(time.time())

    def succeeded(self, key: str) -> None:
        with self._changing() as failures:
            failures.pop(key, None)

    def _read(self, now: float) -> dict[str, list[float]]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        recent = {key: [t for t in times if t > now - self.WINDOW] for key, times in stored.items()}
        return {key: times for key, times in recent.items() if times}

    @contextmanager
    def _changing(self) -> Iterator[dict[str, list[float]]]:
        with writer_lock(self.path):  # one writer of the file at a time: the CLI, the web workers
            failures = self._read(time.time())
            yield failures
            write_private(self.path, json.dumps(failures))
