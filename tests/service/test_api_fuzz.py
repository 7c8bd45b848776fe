"""Arbitrary JSON and bytes at the scoring endpoints: always an answer, never a 500."""

import json

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
bodies = (
    json_values
    | st.fixed_dictionaries(
        {"text": st.text(max_size=300)}, optional={"id": json_values, "extra": json_values}
    )
    | st.fixed_dictionaries(
        {"messages": st.lists(st.fixed_dictionaries({"text": st.text(max_size=80)}), max_size=5)}
    )
)


def _check(response) -> None:  # noqa: ANN001
    assert response.status_code < 500, response.text
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, path=st.sampled_from(["/v1/score", "/v1/score/batch"]))
def test_any_json_gets_an_answer(client: TestClient, body: object, path: str) -> None:
    _check(
        client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_an_answer(client: TestClient, raw: bytes) -> None:
    _check(client.post("/v1/score", content=raw, headers={"content-type": "application/json"}))
