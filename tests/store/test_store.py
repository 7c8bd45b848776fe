"""The store on SQLite and PostgreSQL: migrations, queue, verdicts, feedback, export, keys,
outbox, purge."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from service.store import Event, NewItem, Store, StoreError, keys, reviews, webhooks
from service.store.engine import current_revision, head_revision
from service.store.schema import api_keys, deliveries, review_items, utcnow
from training.dataset import parse_record


def _item(n: int, decision: str = "flag") -> NewItem:
    return NewItem(
        message_id=f"m{n}",
        text=f"message number {n}",
        score=0.9,
        decision=decision,
        signals=[{"type": "salary", "text": "$1500", "start": 0, "end": 5}],
        language="en",
        model_version="v1",
    )


def test_migrations_reach_head_and_are_idempotent(store: Store, store_url: str) -> None:
    assert current_revision(store.engine) == head_revision() == "0001"
    again = Store.open(store_url)  # a second start-up migrates nothing and fails nothing
    assert current_revision(again.engine) == "0001"
    again.dispose()
    if store.engine.dialect.name == "sqlite":
        with store.reading() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_opening_without_migrating_an_old_schema_says_what_to_run(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(StoreError, match="recruitscan db upgrade"):
        Store.open(f"sqlite:///{tmp_path / 'empty.db'}", migrate=False)


def test_an_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="could not migrate"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")


def test_queue_lists_newest_first_with_cursor_and_filters(store: Store) -> None:
    ids = store.record_decisions([_item(n, "flag" if n % 2 else "review") for n in range(5)], [])
    with store.reading() as connection:
        page, cursor = reviews.list_items(
            connection, status=None, decision=None, limit=2, before_seq=None
        )
        assert [p["id"] for p in page] == ids[::-1][:2] and cursor is not None
        page2, cursor2 = reviews.list_items(
            connection, status=None, decision=None, limit=2, before_seq=cursor
        )
        page3, cursor3 = reviews.list_items(
            connection, status=None, decision=None, limit=2, before_seq=cursor2
        )
        assert [p["id"] for p in page2 + page3] == ids[::-1][2:] and cursor3 is None
        flags, _ = reviews.list_items(
            connection, status="pending", decision="flag", limit=10, before_seq=None
        )
        assert {p["message_id"] for p in flags} == {"m1", "m3"}
        assert flags[0]["signals"][0]["type"] == "salary" and flags[0]["text"] == "message number 3"


def test_verdicts_are_idempotent_and_audited(store: Store) -> None:
    [item_id] = store.record_decisions([_item(1)], [])
    with store.transaction() as connection:
        item, changed = reviews.record_verdict(
            connection, item_id, label=1, kind=None, reviewer="ana", note="clear offer"
        )
        assert changed and item["status"] == "labelled" and item["kind"] == "offer"
        _, changed = reviews.record_verdict(
            connection, item_id, label=1, kind=None, reviewer="ana", note="clear offer"
        )
        assert not changed
        item, changed = reviews.record_verdict(
            connection, item_id, label=0, kind="warning", reviewer="bo", note="it is a warning"
        )
        assert changed and (item["label"], item["kind"], item["reviewer"]) == (0, "warning", "bo")
        assert [(h["label"], h["replaced_label"]) for h in item["history"]] == [(1, None), (0, 1)]
        assert reviews.record_verdict(
            connection, "no-such-item", label=1, kind=None, reviewer="x", note=None
        ) == (None, False)
        assert reviews.pending_count(connection) == 0


def test_feedback_with_an_id_updates_instead_of_duplicating(store: Store) -> None:
    with store.transaction() as connection:
        first, created = reviews.insert_feedback(
            connection,
            text="missed offer",
            label=1,
            kind=None,
            reviewer="ana",
            note=None,
            message_id="ext-1",
            language="en",
        )
        second, created_again = reviews.insert_feedback(
            connection,
            text="missed offer, corrected",
            label=0,
            kind="news",
            reviewer="ana",
            note="it was news",
            message_id="ext-1",
            language="en",
        )
        assert created and not created_again and first["id"] == second["id"]
        assert second["text"] == "missed offer, corrected" and len(second["history"]) == 2


def test_export_is_in_the_data_schema(store: Store) -> None:
    ids = store.record_decisions([_item(1), _item(2)], [])
    with store.transaction() as connection:
        reviews.record_verdict(connection, ids[0], label=1, kind=None, reviewer="a", note=None)
        reviews.insert_feedback(
            connection,
            text="Служба по контракту, выплата 2 млн",
            label=1,
            kind=None,
            reviewer="a",
            note=None,
            message_id=None,
            language=None,
        )
        rows = list(reviews.labelled_records(connection))
    assert len(rows) == 2  # the unlabelled item is not exported
    records = [parse_record(row, "export") for row in rows]
    assert records[0].source == "reviewer-verdict" and records[0].label == 1
    assert "lang-unknown" in records[1].tags  # no language known: marked, not guessed silently


def test_keys_are_stored_hashed_and_checked(store: Store) -> None:
    with store.transaction() as connection:
        key = keys.create(connection, name="alice", role="review")
        with pytest.raises(keys.KeyProblem, match="already exists"):
            keys.create(connection, name="alice", role="admin")
        with pytest.raises(keys.KeyProblem, match="unknown role"):
            keys.create(connection, name="bob", role="root")
    with store.reading() as connection:
        stored = connection.execute(select(api_keys)).one()
        assert key not in str(dict(stored._mapping))
        found = keys.authenticate(connection, key)
        assert found is not None and found.role == "review"
        assert found.allows("score") and found.allows("review") and not found.allows("admin")
        assert keys.authenticate(connection, key + "x") is None
    with store.transaction() as connection:
        assert keys.revoke(connection, "alice") and not keys.revoke(connection, "alice")
        assert keys.authenticate(connection, key) is None


def _endpoint(store: Store, events: list[str], include_text: bool = False) -> str:
    with store.transaction() as connection:
        return webhooks.add_endpoint(
            connection,
            url="http://127.0.0.1:9/hook",
            secret="s" * 20,
            events=events,
            include_text=include_text,
        )["id"]


def _event(decision: str, item: int | None = None) -> Event:
    return Event(decision, {"id": "m", "decision": decision}, "the text", item)


def test_outbox_queues_matching_events_with_text_only_when_asked(store: Store) -> None:
    quiet = _endpoint(store, ["flag"])
    loud = _endpoint(store, ["flag", "review"], include_text=True)
    ids = store.record_decisions([_item(1)], [_event("flag", 0), _event("review"), _event("pass")])
    with store.reading() as connection:
        rows = connection.execute(select(deliveries)).all()
    by_endpoint = {(r.webhook_id, r.event): r.body for r in rows}
    assert set(by_endpoint) == {(quiet, "flag"), (loud, "flag"), (loud, "review")}
    assert "the text" not in by_endpoint[(quiet, "flag")]
    assert '"text": "the text"' in by_endpoint[(loud, "review")]
    assert ids[0] in by_endpoint[(quiet, "flag")]  # review id travels with the event


def test_claims_are_leased_retried_with_backoff_and_given_up(store: Store) -> None:
    _endpoint(store, ["flag"])
    store.record_decisions([], [_event("flag")])
    with store.transaction() as connection:
        [claimed] = webhooks.claim_due(connection, 10)
        assert webhooks.claim_due(connection, 10) == []  # leased: no second sender gets it
        status = webhooks.mark_failed_attempt(
            connection, claimed.id, status_code=503, error="down", retry_in=30
        )
        assert status == "pending"
        assert webhooks.claim_due(connection, 10) == []  # not due for 30 s
        connection.execute(
            update(deliveries).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        [again] = webhooks.claim_due(connection, 10)
        assert again.id == claimed.id and again.attempts == 1
        assert (
            webhooks.mark_failed_attempt(
                connection, again.id, status_code=None, error="refused", retry_in=None
            )
            == "failed"
        )
        assert webhooks.counts_by_status(connection)["failed"] == 1
        assert webhooks.redeliver(connection, again.id)
        assert webhooks.counts_by_status(connection)["pending"] == 1


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(1)
    for attempts in range(12):
        ceiling = min(60.0, 2.0 * 2**attempts)
        for _ in range(20):
            assert 2.0 <= webhooks.backoff_seconds(attempts, 2.0, 60.0, rng) <= ceiling
    spread = {round(webhooks.backoff_seconds(5, 2.0, 1e6, rng), 3) for _ in range(20)}
    assert len(spread) > 10  # jitter: retries of many receivers do not line up


def test_deleting_an_endpoint_cancels_what_it_was_still_owed(store: Store) -> None:
    endpoint = _endpoint(store, ["flag"])
    store.record_decisions([], [_event("flag")])
    with store.transaction() as connection:
        assert webhooks.delete_endpoint(connection, endpoint)
        assert not webhooks.delete_endpoint(connection, endpoint)
        assert webhooks.counts_by_status(connection)["cancelled"] == 1
        assert webhooks.list_endpoints(connection) == []


def test_purge_removes_expired_items_but_never_waiting_deliveries(store: Store) -> None:
    _endpoint(store, ["flag"])
    old_ids = store.record_decisions([_item(1)], [_event("flag")])
    with store.transaction() as connection:
        reviews.record_verdict(connection, old_ids[0], label=1, kind=None, reviewer="a", note=None)
        long_ago = utcnow() - timedelta(days=40)
        connection.execute(update(review_items).values(created_at=long_ago))
        connection.execute(update(deliveries).values(created_at=long_ago))
    new_ids = store.record_decisions([_item(2)], [])
    assert store.purge(30) == {"review_items": 1, "deliveries": 0}  # the delivery still waits
    with store.transaction() as connection:
        assert reviews.get_item(connection, old_ids[0]) is None
        assert reviews.get_item(connection, new_ids[0]) is not None
        connection.execute(update(deliveries).values(status="delivered"))
    assert store.purge(30) == {"review_items": 0, "deliveries": 1}


def test_endpoint_list_is_cached_briefly_and_forgotten_on_change(store: Store) -> None:
    store.record_decisions([], [_event("flag")])  # no endpoint yet: nothing written
    _endpoint(store, ["flag"])  # added behind this Store's back, as another replica would
    store.record_decisions([], [_event("flag")])
    with store.reading() as connection:
        assert webhooks.counts_by_status(connection)["pending"] == 0  # still the cached list
    store.forget_endpoints()  # what the API does after adding or deleting an endpoint
    store.record_decisions([], [_event("flag")])
    with store.reading() as connection:
        assert webhooks.counts_by_status(connection)["pending"] == 1
