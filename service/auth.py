"""Who may call what: API keys with roles, checked on every request that needs one.

With no key created yet, scoring stays open to requests from the local interface (``make run``
works with one command) and everything else answers 403 with the command that creates a key.
"""

from __future__ import annotations

import ipaddress

from fastapi import Request

from service.errors import ApiError
from service.store import Store, keys

CREATE_KEY_HINT = "create one with: recruitscan keys create --role {role} --name NAME"


def _is_local(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class Guard:
    """Checks ``Authorization: Bearer KEY`` against the store for one role."""

    def __init__(self, open_scoring: bool | None) -> None:
        self.open_scoring = open_scoring

    def check(self, request: Request, store: Store | None, role: str) -> keys.ApiKey | None:
        header = request.headers.get("authorization", "")
        if role == "score" and not header and self.open_scoring is True:
            return None
        if store is None:
            raise ApiError(
                503, "store_unavailable", "the key store is not available; try again shortly"
            )
        if store.key_count() == 0:
            if role == "score" and self.open_scoring is None and _is_local(request):
                return None
            if role == "score" and self.open_scoring is None:
                raise ApiError(
                    401,
                    "missing_api_key",
                    "scoring without a key is only open on the local interface; "
                    + CREATE_KEY_HINT.format(role="score"),
                )
            raise ApiError(
                403,
                "no_api_keys",
                f"this endpoint needs a key with the '{role}' role and none exists yet; "
                + CREATE_KEY_HINT.format(role=role),
            )
        scheme, _, token = header.partition(" ")
        if not header:
            raise ApiError(401, "missing_api_key", "send your key as 'Authorization: Bearer KEY'")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401, "invalid_authorization", "the Authorization header must be 'Bearer KEY'"
            )
        with store.reading() as connection:
            found = keys.authenticate(connection, token.strip())
        if found is None:
            raise ApiError(401, "unknown_api_key", "the API key is unknown or was revoked")
        if not found.allows(role):
            raise ApiError(
                403,
                "forbidden",
                f"the key '{found.name}' has the '{found.role}' role; this endpoint needs '{role}'",
            )
        return found
