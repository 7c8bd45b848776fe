"""API keys: created once (the plain key is shown only then), stored as SHA-256 hashes.

Keys are 32 random bytes, so a plain SHA-256 is enough (no password stretching is needed for
high-entropy secrets); lookups go by hash and the final comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from service.store.schema import api_keys, utcnow

ROLES: tuple[str, ...] = ("score", "review", "admin")
# What each role may do: a higher role includes the lower ones.
GRANTS: dict[str, frozenset[str]] = {
    "score": frozenset({"score"}),
    "review": frozenset({"score", "review"}),
    "admin": frozenset({"score", "review", "admin"}),
}
KEY_PREFIX = "rs_"


class KeyProblem(ValueError):
    """A key cannot be created or revoked as asked; the message says why."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    prefix: str

    def allows(self, role: str) -> bool:
        return role in GRANTS[self.role]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(connection: Connection, *, name: str, role: str) -> str:
    """Creates a key and returns it in plain text: the only time it exists outside the caller."""
    if role not in ROLES:
        raise KeyProblem(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not name.strip() or len(name) > 200:
        raise KeyProblem("the key needs a name of 1 to 200 characters")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        with connection.begin_nested():  # a clash must not spoil the caller's transaction
            connection.execute(
                insert(api_keys).values(
                    name=name,
                    role=role,
                    key_hash=_hash(key),
                    prefix=key[:10],
                    created_at=utcnow(),
                )
            )
    except IntegrityError as error:
        raise KeyProblem(
            f"a key named {name!r} already exists; revoke it first or pick another name"
        ) from error
    return key


def revoke(connection: Connection, name: str) -> bool:
    return connection.execute(delete(api_keys).where(api_keys.c.name == name)).rowcount > 0


def list_keys(connection: Connection) -> list[dict]:
    rows = connection.execute(
        select(api_keys.c.name, api_keys.c.role, api_keys.c.prefix, api_keys.c.created_at).order_by(
            api_keys.c.seq
        )
    ).all()
    return [dict(r._mapping) for r in rows]


def count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(api_keys)).scalar_one()


def authenticate(connection: Connection, key: str) -> ApiKey | None:
    """The key's owner, or None for an unknown key."""
    digest = _hash(key)
    row = connection.execute(
        select(api_keys.c.name, api_keys.c.role, api_keys.c.prefix, api_keys.c.key_hash).where(
            api_keys.c.key_hash == digest
        )
    ).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return ApiKey(name=row.name, role=row.role, prefix=row.prefix)
