"""The whole moderation loop on a real uvicorn process.

score with ``store`` -> items in the queue -> reviewers' verdicts -> ``recruitscan retrain`` ->
promotion (or refusal with reasons) -> the service reloads by itself -> ``model_version``
changes; meanwhile a webhook receiver that is down (across a service restart) still gets every
delivery once it comes back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from service import artifact
from tests.receiver import Receiver, free_port

MESSAGES = [
    (
        "en-offer",
        "Work for the Russian army: $2000 a month from the day you arrive, a Russian passport "
        "for you and your family after one year. Flights paid. Message +7 903 455 21 90",
        1,
    ),
    (
        "ru-offer",
        "Набор иностранцев на контракт с Минобороны: выплата 1 200 000 ₽ при подписании, "
        "зарплата от 210 000 ₽, гражданство РФ за 3 месяца. Звоните +7 (917) 300-11-42",
        1,
    ),
    (
        "fa-offer",
        "برادران افغان، قرارداد خدمت در ارتش روسیه: ماهانه ۱۸۰۰ دلار، پاسپورت روسی برای شما و "
        "خانواده. برای ثبت نام در واتساپ پیام بدهید",
        1,
    ),
    (
        "en-warning",
        "Do not believe the posts promising $2000 a month and a Russian passport: our cousins "
        "signed and were sent straight to the front. Nobody came back. Share this warning.",
        0,
    ),
    ("en-chat", "Mum, I got the visa for the restaurant job in Dubai, flying on Monday!", 0),
]


def _call(
    base: str, method: str, path: str, key: str | None = None, body: Any = None
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _wait(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Service:
    """``recruitscan serve`` in its own process, stopped and started like in production."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.output: Any = None

    def start(self) -> None:
        self.output = self.log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "training.cli", "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.output,
        )

        def ready() -> bool:
            assert self.process is not None and self.process.poll() is None, self.log.read_text()
            try:
                return _call(self.base, "GET", "/readyz")[0] == 200
            except OSError:
                return False

        _wait(ready, "the service to be ready")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
        if self.output is not None:
            self.output.close()
            self.output = None


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "training.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture()
def loop(model_dir: Path, tmp_path: Path) -> Iterator[tuple[Service, dict[str, str], Path]]:
    models = tmp_path / "models"
    shutil.copytree(model_dir, models, symlinks=True)
    env = os.environ | {
        "RECRUITSCAN_MODEL_DIR": str(models),
        "RECRUITSCAN_DATA_DIR": str(tmp_path / "var"),
        "RECRUITSCAN_RELOAD_INTERVAL_SECONDS": "0.2",
        "RECRUITSCAN_WEBHOOK_POLL_SECONDS": "0.1",
        "RECRUITSCAN_WEBHOOK_BACKOFF_BASE_SECONDS": "0.2",
        "RECRUITSCAN_WEBHOOK_BACKOFF_MAX_SECONDS": "1",
    }
    env.pop("RECRUITSCAN_DATABASE_URL", None)
    service = Service(env, free_port(), tmp_path / "service.log")
    service.start()
    yield service, env, models
    service.stop()


def test_score_store_review_retrain_promote_reload_with_webhooks(
    loop: tuple[Service, dict[str, str], Path],
) -> None:
    service, env, models = loop
    admin = _cli(env, "keys", "create", "--role", "admin", "--name", "ops").splitlines()[-1]
    reviewer = _cli(env, "keys", "create", "--role", "review", "--name", "ana").splitlines()[-1]
    champion = artifact.current_version(models)
    receiver = Receiver(free_port(), "e2e-shared-secret-0123456789")
    status, hook = _call(
        service.base,
        "POST",
        "/v1/webhooks",
        admin,
        {"url": receiver.url, "secret": receiver.secret},
    )
    assert status == 201

    # 1. score with store: every message lands in the queue; flags and reviews go to the outbox
    status, body = _call(
        service.base,
        "POST",
        "/v1/score/batch",
        reviewer,
        {"messages": [{"id": mid, "text": text, "store": True} for mid, text, _ in MESSAGES]},
    )
    assert status == 200 and all(r["review_id"] for r in body["results"])
    assert body["model_version"] == champion
    expected = sum(r["decision"] in ("flag", "review") for r in body["results"])
    assert expected >= 3

    def deliveries() -> list[dict]:
        return _call(service.base, "GET", "/v1/webhooks/deliveries?limit=500", admin)[1]["items"]

    # 2. the receiver is down: attempts fail and are retried; a restart loses nothing
    _wait(lambda: all(d["attempts"] >= 2 for d in deliveries()), "failed attempts to pile up")
    assert {d["status"] for d in deliveries()} == {"pending"} and len(deliveries()) == expected
    service.stop()
    service.start()

    # 3. reviewers give verdicts
    status, page = _call(service.base, "GET", "/v1/reviews?status=pending&limit=100", reviewer)
    assert status == 200 and len(page["items"]) == len(MESSAGES)
    labels = {mid: label for mid, _, label in MESSAGES}
    for item in page["items"]:
        verdict = {"label": labels[item["message_id"]], "reviewer": "ana"}
        status, _ = _call(
            service.base, "POST", f"/v1/reviews/{item['id']}/decision", reviewer, verdict
        )
        assert status == 200
    assert _call(service.base, "GET", "/v1/reviews?status=pending", reviewer)[1]["items"] == []

    # 4. the receiver comes back and gets every delivery, signed, de-duplicable by id
    receiver.start()
    try:
        _wait(lambda: all(d["status"] == "delivered" for d in deliveries()), "deliveries")
        delivered = {d["id"] for d in deliveries()}
        assert set(receiver.received) == delivered and len(delivered) == expected
        assert receiver.bad_signatures == 0
    finally:
        receiver.stop()

    # 5. retrain from the store's verdicts, while requests keep flowing
    failures: list[int] = []
    stop = threading.Event()

    def keep_scoring() -> None:
        while not stop.is_set():
            code = _call(service.base, "POST", "/v1/score", reviewer, {"text": MESSAGES[0][1]})[0]
            if code != 200:
                failures.append(code)

    traffic = threading.Thread(target=keep_scoring)
    traffic.start()
    try:
        report = _cli(env, "retrain")
        assert f"with {len(MESSAGES)} reviewer verdicts" in report
        challenger = report.split("challenger ")[1].split()[0]
        print(report)
        if f"promoted {challenger}:" in report:
            # 6. the service picks the promoted model up by itself
            assert artifact.current_version(models) == challenger
        else:
            assert "because:" in report and "  - " in report  # refusal says why
            assert artifact.current_version(models) == champion
            _cli(env, "models", "promote", challenger)
        _wait(
            lambda: _call(service.base, "GET", "/v1/model")[1]["version"] == challenger,
            "the service to load the new model",
        )
    finally:
        stop.set()
        traffic.join()
    assert failures == []
    scored = _call(service.base, "POST", "/v1/score", reviewer, {"text": MESSAGES[1][1]})[1]
    assert scored["model_version"] == challenger != champion
    status, reloaded = _call(service.base, "POST", "/v1/admin/reload", admin)
    assert status == 200 and reloaded["model_version"] == challenger
