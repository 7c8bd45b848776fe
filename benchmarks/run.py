"""Speed benchmarks: in-process batch scoring and HTTP latency against a real uvicorn process.

Prints what it measured; nothing here asserts. Run with `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from service import artifact
from service.detector import Detector
from training import speed
from training.speed import typical_messages

ROOT = Path(__file__).resolve().parent.parent


def in_process(model_dir: Path, batch: int, runs: int) -> dict[str, float]:
    return speed.in_process(Detector.from_directory(artifact.resolve(model_dir)), batch, runs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: bytes) -> float:
    request = urllib.request.Request(url, body, {"content-type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return time.perf_counter() - started


def http_latency(model_dir: Path, clients: int, requests_per_client: int) -> dict[str, float]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "training.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--model-dir",
            str(model_dir),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "RECRUITSCAN_LOG_LEVEL": "WARNING"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not become ready within 60 s")
            time.sleep(0.2)
        bodies = [json.dumps({"text": t}).encode() for t in typical_messages(200, seed=11)]
        for body in bodies[:20]:
            _post(f"{base}/v1/score", body)

        def client(index: int) -> list[float]:
            return [
                _post(f"{base}/v1/score", bodies[(index * requests_per_client + n) % len(bodies)])
                for n in range(requests_per_client)
            ]

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            latencies = sorted(x for batch in pool.map(client, range(clients)) for x in batch)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "clients": clients,
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))] * 1000, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default="models")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100, help="per client")
    args = parser.parse_args()
    model_dir = Path(args.model_dir)
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "in_process": in_process(model_dir, args.batch, args.runs),
        "http": http_latency(model_dir, args.clients, args.requests),
    }
    ip, http = result["in_process"], result["http"]
    print(f"date {result['date']}  machine {result['machine']}")
    print(
        f"in-process: batch of {ip['batch']} typical messages ({ip['mean_characters']} chars avg) "
        f"in {ip['seconds_per_batch']} s = {ip['messages_per_second']} messages/s, explanations included"
    )
    print(
        f"bare HashingVectorizer(char_wb, 2-5) on the same batch: {ip['hashing_vectorizer_seconds']} s; "
        f"ratio {ip['ratio_to_hashing_vectorizer']}x"
    )
    print(
        f"HTTP /v1/score, {http['clients']} concurrent clients, {http['requests']} requests: "
        f"p50 {http['p50_ms']} ms, p99 {http['p99_ms']} ms, {http['requests_per_second']} requests/s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
