import json
import logging

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import Settings

OFFER = (
    "Brothers, a monthly salary of $1500 USD from the moment you enter Russia, a Russian "
    "Federation passport for you and your family. Sign a contract with the army. WhatsApp +7 916 204 11 88"
)


def test_score_contract(client: TestClient) -> None:
    response = client.post("/v1/score", json={"text": OFFER, "id": "msg-1"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "score",
        "decision",
        "flagged",
        "thresholds",
        "signals",
        "explanation",
        "language",
        "model_version",
        "review_id",
    }
    assert body["review_id"] is None  # nothing is stored unless asked
    assert body["id"] == "msg-1"
    assert 0.0 <= body["score"] <= 1.0
    assert body["decision"] in {"pass", "review", "flag"}
    assert body["flagged"] == (body["decision"] == "flag")
    assert set(body["thresholds"]) == {"review", "flag"}
    assert body["language"] == "en"
    types = {s["type"] for s in body["signals"]}
    assert {"salary", "passport", "family", "armed_service", "contact"} <= types
    for span in body["signals"] + body["explanation"]:
        assert OFFER[span["start"] : span["end"]] == span["text"]
    assert body["explanation"], "an offer must come with the spans that raised its score"
    assert all(e["weight"] > 0 for e in body["explanation"])


def test_id_is_generated_when_absent(client: TestClient) -> None:
    first = client.post("/v1/score", json={"text": "hello"}).json()["id"]
    second = client.post("/v1/score", json={"text": "hello"}).json()["id"]
    assert first and second and first != second


def test_batch_keeps_input_order(client: TestClient) -> None:
    messages = [
        {"id": f"m{i}", "text": text}
        for i, text in enumerate(
            ["hello there", OFFER, "Пришли фото паспорта, мама просит", OFFER.upper(), "ok"]
        )
    ]
    response = client.post("/v1/score/batch", json={"messages": messages})
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == ["m0", "m1", "m2", "m3", "m4"]
    single = client.post("/v1/score", json={"text": OFFER}).json()
    assert body["results"][1]["score"] == single["score"]
    assert body["model_version"] == single["model_version"]


def test_model_and_health(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "model_version": None}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    manifest = client.get("/v1/model").json()
    assert manifest["version"] == ready.json()["model_version"]
    assert set(manifest["thresholds"]) == {"review", "flag"}
    assert client.get("/docs").status_code == 200
    assert "/v1/score" in client.get("/openapi.json").json()["paths"]


def _error(response, status: int, code: str) -> str:  # noqa: ANN001
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return body["error"]["message"]


def test_empty_and_whitespace_text(client: TestClient) -> None:
    for text in ("", "   \n\t"):
        message = _error(client.post("/v1/score", json={"text": text}), 422, "empty_text")
        assert message == "text is empty or only whitespace; send the message to score"


def test_text_too_long(client: TestClient) -> None:
    message = _error(client.post("/v1/score", json={"text": "a" * 20_001}), 422, "text_too_long")
    assert message == (
        "text has 20001 characters; the limit is 20000. Split the message or score its first part"
    )
    assert client.post("/v1/score", json={"text": "a" * 20_000}).status_code == 200


def test_batch_limits(client: TestClient) -> None:
    too_many = {"messages": [{"text": "hi"}] * 1001}
    assert _error(client.post("/v1/score/batch", json=too_many), 422, "batch_too_large") == (
        "messages has 1001 items; send at most 1000 per request"
    )
    assert _error(client.post("/v1/score/batch", json={"messages": []}), 422, "empty_batch") == (
        "messages is empty; send between 1 and 1000 messages"
    )
    bad = {"messages": [{"text": "ok"}, {"text": " "}]}
    assert _error(client.post("/v1/score/batch", json=bad), 422, "empty_text") == (
        "messages[1].text is empty or only whitespace; send the message to score"
    )
    assert (
        client.post("/v1/score/batch", json={"messages": [{"text": "hi"}] * 1000}).status_code
        == 200
    )


def test_malformed_json(client: TestClient) -> None:
    response = client.post(
        "/v1/score", content=b'{"text": "hi",', headers={"content-type": "application/json"}
    )
    message = _error(response, 400, "malformed_json")
    assert message.startswith("the request body is not valid JSON")


def test_non_json_media_type(client: TestClient) -> None:
    response = client.post("/v1/score", content=b"text=hi", headers={"content-type": "text/plain"})
    assert _error(response, 415, "unsupported_media_type") == (
        "the body is sent as text/plain; send JSON with content-type: application/json"
    )
    charset = {"content-type": "application/json; charset=utf-8"}
    assert client.post("/v1/score", content=b'{"text": "hi"}', headers=charset).status_code == 200


def test_missing_body_and_fields(client: TestClient) -> None:
    assert _error(client.post("/v1/score"), 400, "missing_body") == (
        "the request needs a JSON body (see /docs for the schema)"
    )
    assert _error(client.post("/v1/score", json={"id": "x"}), 422, "missing_field") == (
        "field 'text' is required"
    )


def test_wrong_types(client: TestClient) -> None:
    assert _error(client.post("/v1/score", json={"text": 42}), 422, "invalid_type") == (
        "field 'text': Input should be a valid string"
    )
    assert _error(client.post("/v1/score", json={"text": "x", "id": 7}), 422, "invalid_type") == (
        "field 'id': Input should be a valid string"
    )
    response = client.post("/v1/score/batch", json={"messages": [{"text": None}]})
    assert _error(response, 422, "invalid_type") == (
        "field 'messages[0].text': Input should be a valid string"
    )
    assert _error(client.post("/v1/score", json=["text"]), 422, "invalid_type").startswith(
        "field 'body': "
    )


def test_unknown_fields(client: TestClient) -> None:
    response = client.post("/v1/score", json={"text": "x", "lang": "en"})
    assert _error(response, 422, "unknown_field") == (
        "unknown field 'lang'; remove it (see /docs for the schema)"
    )


def test_unknown_route_and_method(client: TestClient) -> None:
    assert _error(client.get("/v1/nothing"), 404, "not_found") == (
        "no endpoint at /v1/nothing; see /docs for the API"
    )
    assert _error(client.get("/v1/score"), 405, "method_not_allowed") == (
        "GET is not allowed on /v1/score; see /docs"
    )


def test_service_keeps_serving_after_bad_input(client: TestClient) -> None:
    client.post("/v1/score", content=b"\xff\xfe", headers={"content-type": "application/json"})
    assert client.post("/v1/score", json={"text": OFFER}).status_code == 200


def test_logs_never_contain_the_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret = "Zarina's private message 4471"
    logger = logging.getLogger("recruitscan")
    logger.addHandler(caplog.handler)
    try:
        client.post("/v1/score", json={"text": secret, "id": "log-1"})
    finally:
        logger.removeHandler(caplog.handler)
    scored = [r for r in caplog.records if r.getMessage() == "scored"]
    assert scored and scored[-1].id == "log-1" and scored[-1].length == len(secret)
    for record in caplog.records:
        assert secret not in json.dumps(vars(record), default=str)


def test_not_ready_without_a_model(tmp_path) -> None:  # noqa: ANN001
    settings = Settings(model_dir=tmp_path, data_dir=tmp_path / "var")
    with TestClient(create_app(settings), client=("127.0.0.1", 5000)) as client:
        assert client.get("/healthz").status_code == 200
        message = _error(client.get("/readyz"), 503, "model_not_loaded")
        assert "train a model with `recruitscan train`" in message
        assert _error(client.post("/v1/score", json={"text": "x"}), 503, "model_not_loaded")


def test_metrics_count_requests_decisions_and_model(client: TestClient) -> None:
    client.post("/v1/score", json={"text": OFFER})
    client.post("/v1/score", json={"text": ""})
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'recruitscan_requests_total{route="/v1/score",status="200"}' in text
    assert 'recruitscan_requests_total{route="/v1/score",status="422"}' in text
    assert 'recruitscan_request_seconds_bucket{le="0.5",route="/v1/score"}' in text
    assert 'recruitscan_decisions_total{decision="flag"}' in text
    version = client.get("/readyz").json()["model_version"]
    assert f'recruitscan_model_info{{version="{version}"}} 1.0' in text
