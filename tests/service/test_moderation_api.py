"""Review queue, feedback, export, webhooks, keys and admin reload over HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import artifact
from service.app import create_app
from service.config import Settings
from service.delivery import Sender
from service.store import keys
from tests.receiver import Receiver, free_port

OFFER = (
    "Brothers, a monthly salary of $1500 USD from the moment you enter Russia, a Russian "
    "Federation passport for you and your family. Sign a contract with the army. WhatsApp +7 916 204 11 88"
)
CHAT = "see you at dinner tonight, bring the kids"
LOCAL = ("127.0.0.1", 50000)


def _error(response, status: int, code: str) -> str:  # noqa: ANN001
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    return response.json()["error"]["message"]


def _key(client: TestClient, role: str, name: str | None = None) -> dict[str, str]:
    with client.app.state.store.transaction() as connection:
        key = keys.create(connection, name=name or role, role=role)
    client.app.state.store.forget_keys()  # as `keys create` in this process would
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture()
def admin(client: TestClient) -> dict[str, str]:
    return _key(client, "admin")


def test_without_keys_scoring_is_open_locally_and_the_rest_says_how_to_get_a_key(
    client: TestClient, settings: Settings
) -> None:
    assert client.post("/v1/score", json={"text": CHAT}).status_code == 200
    for method, path in [
        ("get", "/v1/reviews"),
        ("post", "/v1/feedback"),
        ("get", "/v1/webhooks"),
        ("post", "/v1/admin/reload"),
    ]:
        response = getattr(client, method)(path, **({"json": {}} if method == "post" else {}))
        message = _error(response, 403, "no_api_keys")
        assert "recruitscan keys create --role" in message
    with TestClient(create_app(settings), client=("10.1.2.3", 4000)) as remote:
        message = _error(remote.post("/v1/score", json={"text": CHAT}), 401, "missing_api_key")
        assert "local interface" in message


def test_keys_and_roles(client: TestClient) -> None:
    score = _key(client, "score", "s")
    review = _key(client, "review", "r")
    admin = _key(client, "admin", "a")
    # once a key exists, scoring needs one too
    _error(client.post("/v1/score", json={"text": CHAT}), 401, "missing_api_key")
    _error(
        client.post("/v1/score", json={"text": CHAT}, headers={"Authorization": "Bearer nope"}),
        401,
        "unknown_api_key",
    )
    _error(
        client.post("/v1/score", json={"text": CHAT}, headers={"Authorization": "Basic abc"}),
        401,
        "invalid_authorization",
    )
    assert client.post("/v1/score", json={"text": CHAT}, headers=score).status_code == 200
    message = _error(client.get("/v1/reviews", headers=score), 403, "forbidden")
    assert "'score' role" in message and "'review'" in message
    assert client.get("/v1/reviews", headers=review).status_code == 200
    _error(client.get("/v1/webhooks", headers=review), 403, "forbidden")
    assert client.get("/v1/webhooks", headers=admin).status_code == 200
    assert client.get("/metrics").status_code == 200  # readable without a key
    assert client.get("/healthz").status_code == 200


def test_store_queue_verdict_and_export(client: TestClient, admin: dict[str, str]) -> None:
    scored = client.post(
        "/v1/score/batch",
        json={
            "messages": [
                {"id": "a", "text": OFFER, "store": True},
                {"id": "b", "text": CHAT},
                {"id": "c", "text": CHAT, "store": True},
            ]
        },
        headers=admin,
    ).json()["results"]
    assert scored[0]["review_id"] and scored[1]["review_id"] is None and scored[2]["review_id"]
    page = client.get("/v1/reviews?status=pending&limit=1", headers=admin).json()
    assert [i["message_id"] for i in page["items"]] == ["c"]  # newest first
    rest = client.get(f"/v1/reviews?cursor={page['next_cursor']}", headers=admin).json()
    assert [i["message_id"] for i in rest["items"]] == ["a"] and rest["next_cursor"] is None
    flagged = client.get("/v1/reviews?decision=flag", headers=admin).json()["items"]
    assert [i["text"] for i in flagged] == [OFFER]
    assert flagged[0]["signals"] and flagged[0]["model_version"] == scored[0]["model_version"]

    item = scored[0]["review_id"]
    verdict = {"label": 1, "reviewer": "ana", "note": "clear offer"}
    first = client.post(f"/v1/reviews/{item}/decision", json=verdict, headers=admin).json()
    again = client.post(f"/v1/reviews/{item}/decision", json=verdict, headers=admin).json()
    assert first["status"] == "labelled" and len(again["history"]) == 1  # idempotent
    changed = client.post(
        f"/v1/reviews/{item}/decision",
        json={"label": 0, "reviewer": "bo", "kind": "warning"},
        headers=admin,
    ).json()
    assert [h["reviewer"] for h in changed["history"]] == ["ana", "bo"]
    _error(
        client.post(
            f"/v1/reviews/{item}/decision",
            json={"label": 1, "reviewer": "bo", "kind": "warning"},
            headers=admin,
        ),
        422,
        "kind_label_mismatch",
    )
    _error(
        client.post("/v1/reviews/nope/decision", json=verdict, headers=admin),
        404,
        "review_not_found",
    )
    _error(client.get("/v1/reviews?cursor=%%%", headers=admin), 400, "invalid_cursor")
    _error(
        client.post(
            f"/v1/reviews/{item}/decision", json={"label": 2, "reviewer": "x"}, headers=admin
        ),
        422,
        "invalid_type",
    )

    created = client.post(
        "/v1/feedback",
        json={"text": "Контракт с Минобороны, выплата 2 млн", "label": 1, "reviewer": "ana"},
        headers=admin,
    )
    assert created.status_code == 201 and created.json()["origin"] == "feedback"
    assert created.json()["language"] == "ru"
    _error(
        client.post("/v1/feedback", json={"text": " ", "label": 1, "reviewer": "a"}, headers=admin),
        422,
        "empty_text",
    )
    export = client.get("/v1/reviews/export?format=jsonl", headers=admin)
    assert export.status_code == 200
    rows = [json.loads(line) for line in export.text.splitlines()]
    assert [(r["label"], r["kind"]) for r in rows] == [(0, "warning"), (1, "offer")]
    _error(client.get("/v1/reviews/export?format=csv", headers=admin), 400, "unsupported_format")


def test_server_setting_keeps_every_review_and_flag(settings: Settings) -> None:
    keep_all = settings.model_copy(update={"store_decisions": True})
    with TestClient(create_app(keep_all), client=LOCAL) as client:
        results = client.post(
            "/v1/score/batch", json={"messages": [{"text": OFFER}, {"text": CHAT}]}
        ).json()["results"]
        assert results[0]["decision"] == "flag" and results[0]["review_id"]
        assert results[1]["decision"] == "pass" and results[1]["review_id"] is None


def test_storing_fails_loudly_when_the_store_is_down(settings: Settings) -> None:
    down = "postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=1"
    with TestClient(create_app(settings.model_copy(update={"database_url": down}))) as client:
        # keys cannot be checked, so nothing is let through unchecked
        message = _error(client.post("/v1/score", json={"text": OFFER}), 503, "store_unavailable")
        assert "key store" in message
    broken = settings.model_copy(update={"database_url": down, "open_scoring": True})
    with TestClient(create_app(broken), client=LOCAL) as client:
        assert client.get("/readyz").status_code == 200
        message = _error(
            client.post("/v1/score", json={"text": OFFER, "store": True}), 503, "store_unavailable"
        )
        assert "could not be kept" in message
        assert client.post("/v1/score", json={"text": OFFER}).status_code == 200


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    hook = Receiver(free_port(), "a-shared-secret-of-some-length")
    yield hook
    hook.stop()


def test_webhooks_are_signed_and_retried_until_the_receiver_answers(
    settings: Settings, receiver: Receiver
) -> None:
    quiet = settings.model_copy(update={"webhook_poll_seconds": 0})  # deliver by hand below
    with TestClient(create_app(quiet), client=LOCAL) as client:
        admin = _key(client, "admin")
        _error(
            client.post(
                "/v1/webhooks",
                json={"url": "ftp://x/y", "secret": receiver.secret},
                headers=admin,
            ),
            422,
            "invalid_url",
        )
        hook = client.post(
            "/v1/webhooks", json={"url": receiver.url, "secret": receiver.secret}, headers=admin
        )
        assert hook.status_code == 201 and "secret" not in hook.json()
        assert hook.json()["events"] == ["flag", "review"]
        client.post(
            "/v1/score/batch", json={"messages": [{"text": OFFER}, {"text": CHAT}]}, headers=admin
        )

        sender = Sender(client.app.state.store, quiet, client.app.state.metrics)
        assert sender.deliver_due() == ["retry"]  # the receiver is down
        listed = client.get("/v1/webhooks/deliveries", headers=admin).json()["items"]
        assert [(d["status"], d["attempts"]) for d in listed] == [("pending", 1)]
        assert "ConnectionRefusedError" in listed[0]["last_error"]
        assert sender.deliver_due() == []  # not due yet: backing off

        receiver.start()
        from sqlalchemy import update

        from service.store.schema import deliveries

        with client.app.state.store.transaction() as connection:
            connection.execute(update(deliveries).values(next_attempt_at=deliveries.c.created_at))
        assert sender.deliver_due() == ["delivered"]
        [payload] = receiver.received.values()
        assert receiver.bad_signatures == 0
        assert payload["decision"] == "flag" and "text" not in payload
        assert set(payload) >= {"id", "score", "signals", "model_version", "time", "delivery_id"}
        done = client.get("/v1/webhooks/deliveries?status=delivered", headers=admin).json()
        assert done["items"][0]["id"] == payload["delivery_id"]
        metrics = client.get("/metrics").text
        assert 'recruitscan_webhook_deliveries_total{outcome="retry"} 1.0' in metrics
        assert 'recruitscan_webhook_deliveries_total{outcome="delivered"} 1.0' in metrics

        assert client.delete(f"/v1/webhooks/{hook.json()['id']}", headers=admin).status_code == 204
        _error(
            client.delete(f"/v1/webhooks/{hook.json()['id']}", headers=admin),
            404,
            "webhook_not_found",
        )
        assert client.get("/v1/webhooks", headers=admin).json() == []


def test_the_running_sender_delivers_with_text_when_configured(
    client: TestClient, receiver: Receiver, admin: dict[str, str]
) -> None:
    receiver.start()
    client.post(
        "/v1/webhooks",
        json={
            "url": receiver.url,
            "secret": receiver.secret,
            "events": ["flag"],
            "include_text": True,
        },
        headers=admin,
    )
    scored = client.post("/v1/score", json={"text": OFFER, "store": True}, headers=admin).json()
    deadline = time.monotonic() + 10
    while not receiver.received:
        assert time.monotonic() < deadline, "the background sender never delivered"
        time.sleep(0.05)
    [payload] = receiver.received.values()
    assert payload["text"] == OFFER and payload["review_id"] == scored["review_id"]


def test_queue_size_is_in_metrics(client: TestClient) -> None:
    client.post("/v1/score", json={"text": CHAT, "store": True})
    assert "recruitscan_review_queue_pending 1.0" in client.get("/metrics").text


def test_admin_reload_switches_models_and_refuses_broken_ones(
    model_dir: Path, tmp_path: Path
) -> None:
    import shutil

    models = tmp_path / "models"
    shutil.copytree(model_dir, models, symlinks=True)
    version = artifact.current_version(models)
    shutil.copytree(models / version, models / "v-copy")
    manifest = json.loads((models / "v-copy" / "manifest.json").read_text())
    manifest["version"] = "v-copy"
    (models / "v-copy" / "manifest.json").write_text(json.dumps(manifest))
    settings = Settings(model_dir=models, data_dir=tmp_path / "var", reload_interval_seconds=0)
    with TestClient(create_app(settings), client=LOCAL) as client:
        admin = _key(client, "admin")
        same = client.post("/v1/admin/reload", headers=admin).json()
        assert same == {"model_version": version, "changed": False, "previous_version": version}
        artifact.set_current(models, "v-copy")
        switched = client.post("/v1/admin/reload", headers=admin).json()
        assert switched["changed"] and switched["model_version"] == "v-copy"
        (models / "v-copy" / "model.joblib").write_bytes(b"tampered")
        message = _error(client.post("/v1/admin/reload", headers=admin), 409, "model_refused")
        assert "still serving v-copy" in message
        assert client.post("/v1/score", json={"text": OFFER}, headers=admin).status_code == 200


def test_expired_items_are_purged_on_their_own(settings: Settings) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from service.store import Store
    from service.store.schema import review_items, utcnow

    store = Store.open(settings.store_url())
    [old] = store.record_decisions([_stored("old")], [])
    with store.transaction() as connection:
        connection.execute(update(review_items).values(created_at=utcnow() - timedelta(days=31)))
    store.dispose()
    with TestClient(create_app(settings), client=LOCAL) as client:
        admin = _key(client, "admin")
        _wait_for(lambda: client.get(f"/v1/reviews/{old}", headers=admin).status_code == 404)


def _stored(message_id: str):  # noqa: ANN202
    from service.store import NewItem

    return NewItem(message_id, "some text", 0.5, "review", [], "en", "v1")


def _wait_for(condition) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)
