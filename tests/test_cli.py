import csv
import io
import json
from pathlib import Path

import pytest

from training.cli import main

OFFER = (
    "Monthly salary $1500 from arrival in Russia, Russian passport for your family. Army contract."
)


def test_score_jsonl_file(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": OFFER}) + "\n\n" + json.dumps({"text": "hello"}) + "\n"
    )
    out = tmp_path / "out.jsonl"
    assert main(["score", str(source), "-o", str(out), "--model-dir", str(model_dir)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "2"]
    assert rows[0]["score"] > rows[1]["score"]
    assert {"decision", "signals", "explanation", "model_version"} <= set(rows[0])


def test_score_csv_from_stdin(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "body"])
    writer.writerow(["x1", OFFER])
    writer.writerow(["x2", "Lunch at 2?"])
    monkeypatch.setattr("sys.stdin", io.StringIO(buffer.getvalue()))
    assert (
        main(["score", "--format", "csv", "--text-column", "body", "--model-dir", str(model_dir)])
        == 0
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x2"]


def test_score_reports_bad_lines(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "ok"}\n{"text": \n')
    with pytest.raises(SystemExit, match="line 2 is not valid JSON"):
        main(["score", str(source), "-o", str(tmp_path / "o"), "--model-dir", str(model_dir)])


def test_evaluate_prints_and_writes_json(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "eval.jsonl"
    rows = [
        {"text": OFFER, "label": 1, "lang": "en", "kind": "offer"},
        {
            "text": "Do not believe the $1500 and passport offer, they send people to the front.",
            "label": 0,
            "lang": "en",
            "kind": "warning",
        },
        {"text": "See you at the mosque on Friday", "label": 0},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = tmp_path / "r.json"
    assert (
        main(
            ["evaluate", "--data", str(data), "--model-dir", str(model_dir), "--json", str(report)]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "average precision" in printed and "recall by language" in printed
    assert "false positives by kind" in printed
    figures = json.loads(report.read_text())
    assert figures["messages"] == 3 and figures["positives"] == 1
    assert set(figures["at_flag"]) >= {"precision", "recall", "f1"}


def test_evaluate_missing_file_says_so(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["evaluate", "--data", "/nonexistent/realworld.jsonl", "--model-dir", str(model_dir)])
        == 2
    )
    assert "not found" in capsys.readouterr().err


def test_commands_refuse_a_missing_model(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no manifest.json"):
        main(["score", "-", "--model-dir", str(tmp_path)])


def test_evaluate_writes_a_report_folder(model_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "eval.jsonl"
    rows = [
        {"text": OFFER, "label": 1, "lang": "en", "kind": "offer"},
        {"text": "Lunch at 2? Bring the passport photos for the visa.", "label": 0, "lang": "en"},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    folder = tmp_path / "report"
    assert (
        main(
            [
                "evaluate",
                "--data",
                str(data),
                "--model-dir",
                str(model_dir),
                "--report",
                str(folder),
            ]
        )
        == 0
    )
    names = {p.name for p in folder.iterdir()}
    assert {
        "report.md",
        "metrics.json",
        "precision_recall.png",
        "reliability.png",
        "recall_by_language.png",
        "false_positives_by_kind.png",
        "confusion_matrix.png",
    } <= names
    assert "average precision" in (folder / "report.md").read_text()
