"""The ``recruitscan`` command: serve, train, evaluate, score, models, retrain, db, keys.

It lives in ``training/`` because it drives both layers: ``serve`` and ``score`` only use the
service, ``train`` and ``evaluate`` need the offline code, and ``service/`` must never import
``training/``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

DEFAULT_DATA = Path("data")
PROGRESS_EVERY = 500


def _model_dir(value: str | None) -> Path:
    from service.config import get_settings

    return Path(value) if value else get_settings().model_dir


def _detector(model_dir: Path):  # noqa: ANN202 - imported lazily to keep `--help` fast
    from service import artifact
    from service.detector import Detector

    try:
        return Detector.from_directory(artifact.resolve(model_dir))
    except artifact.ArtifactError as error:
        raise SystemExit(f"recruitscan: {error}") from error


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app
    from service.config import get_settings

    settings = get_settings().model_copy(
        update={
            k: v
            for k, v in {
                "host": args.host,
                "port": args.port,
                "model_dir": Path(args.model_dir) if args.model_dir else None,
            }.items()
            if v is not None
        }
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        workers=1,
        access_log=False,
        log_level="warning",
    )
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from training.train import has_valid_model, train_model

    model_dir = _model_dir(args.model_dir)
    if args.if_missing and has_valid_model(model_dir):
        print(f"a verified model is already in {model_dir}; not retraining", file=sys.stderr)
        return 0
    print(
        f"training from {args.data_dir} (design {args.design}, seed {args.seed}) ...",
        file=sys.stderr,
    )
    manifest = train_model(Path(args.data_dir), model_dir, design=args.design, seed=args.seed)
    test = manifest.metrics["test"]
    print(
        f"model {manifest.version} saved in {model_dir / manifest.version}\n"
        f"thresholds: review {manifest.thresholds['review']:.4f}, flag {manifest.thresholds['flag']:.4f}\n"
        f"test: average precision {test['average_precision']}, "
        f"flag precision {test['at_flag']['precision']}, flag recall {test['at_flag']['recall']}"
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from training.evaluation import evaluate_file, write_json

    detector = _detector(_model_dir(args.model_dir))
    if args.split:
        path = _write_split(args.split, Path(args.data_dir))
    else:
        path = Path(args.data)
        if not path.is_file():
            print(f"recruitscan: {path} not found; nothing to evaluate", file=sys.stderr)
            return 2
    name = f"{args.split} split of {args.data_dir}" if args.split else path.name
    try:
        metrics, report, items = evaluate_file(detector, path, name)
    finally:
        if args.split:
            path.unlink(missing_ok=True)
    print(report, end="")
    if args.json:
        write_json(metrics, Path(args.json))
        print(f"wrote {args.json}", file=sys.stderr)
    if args.report:
        try:
            import matplotlib  # noqa: F401
        except ImportError as error:
            raise SystemExit(
                "recruitscan: --report needs matplotlib; install the extra: "
                "pip install 'recruitscan[reports]' (make report does this)"
            ) from error
        from training.report import write_report

        written = write_report(
            items, metrics, f"{name} — model {detector.version}", Path(args.report)
        )
        write_json(metrics, Path(args.report) / "metrics.json")
        print(f"wrote {written} and its plots", file=sys.stderr)
    return 0


def _write_split(name: str, data_dir: Path) -> Path:
    """Writes one split of ``data/`` to a temporary JSONL so it is evaluated like any file."""
    import tempfile

    from training.dataset import load_records, split_records

    splits = split_records(load_records(data_dir))
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=f"-{name}.jsonl", delete=False
    )
    with handle:
        for record in getattr(splits, name):
            row = {
                "id": record.id,
                "text": record.text,
                "label": record.label,
                "lang": record.lang,
                "kind": record.kind,
                "source": f"data/{name}",
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(handle.name)


def _rows(stream: TextIO, fmt: str, column: str) -> Iterator[tuple[str | None, str]]:
    if fmt == "csv":
        reader = csv.DictReader(stream)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise SystemExit(f"recruitscan: the CSV has no '{column}' column")
        for row in reader:
            yield row.get("id") or None, row[column] or ""
        return
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(
                f"recruitscan: line {number} is not valid JSON ({error.msg})"
            ) from error
        if not isinstance(row, dict) or not isinstance(row.get(column), str):
            raise SystemExit(f"recruitscan: line {number} has no string '{column}' field")
        yield (str(row["id"]) if row.get("id") is not None else None), row[column]


def cmd_score(args: argparse.Namespace) -> int:
    from service.schemas import ScoreResult

    detector = _detector(_model_dir(args.model_dir))
    source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8", newline="")  # noqa: SIM115
    fmt = args.format
    if fmt == "auto":
        fmt = "csv" if args.input.lower().endswith(".csv") else "jsonl"
    sink: TextIO = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    done = 0
    batch: list[tuple[str | None, str]] = []

    def flush() -> None:
        nonlocal done
        for (message_id, _), score in zip(
            batch, detector.score([t for _, t in batch]), strict=True
        ):
            done += 1
            result = ScoreResult.build(
                message_id if message_id is not None else str(done),
                score,
                detector.version,
            )
            sink.write(json.dumps(result.model_dump(), ensure_ascii=False) + "\n")
        batch.clear()
        if done >= PROGRESS_EVERY:
            print(f"\rscored {done} messages", end="", file=sys.stderr, flush=True)

    try:
        for message_id, text in _rows(source, fmt, args.text_column):
            if not text.strip():
                raise SystemExit(f"recruitscan: message {done + len(batch) + 1} has empty text")
            batch.append((message_id, text))
            if len(batch) >= 256:
                flush()
        flush()
    finally:
        if done >= PROGRESS_EVERY:
            print(file=sys.stderr)
        if sink is not sys.stdout:
            sink.close()
        if source is not sys.stdin:
            source.close()
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from service import artifact

    model_dir = _model_dir(args.model_dir)
    try:
        if args.action == "list":
            current = artifact.current_version(model_dir)
            for manifest in artifact.list_versions(model_dir) if model_dir.is_dir() else []:
                test = manifest.metrics.get("test", {})
                marker = "*" if manifest.version == current else " "
                print(
                    f"{marker} {manifest.version}  created {manifest.created_at}  "
                    f"design {manifest.training.get('design', '?')}  "
                    f"test AP {test.get('average_precision')}  "
                    f"flag recall {test.get('at_flag', {}).get('recall')}"
                )
        elif args.action == "promote":
            if not args.version:
                raise SystemExit("recruitscan: models promote needs a VERSION (see models list)")
            artifact.set_current(model_dir, args.version)
            print(f"current model is now {args.version}")
        else:
            print(f"current model is now {artifact.rollback(model_dir)}")
    except artifact.ArtifactError as error:
        raise SystemExit(f"recruitscan: {error}") from error
    return 0


def _open_store():  # noqa: ANN202 - imported lazily to keep `--help` fast
    from service.config import get_settings
    from service.store import Store, StoreError

    try:
        return Store.open(get_settings().store_url())
    except StoreError as error:
        raise SystemExit(f"recruitscan: {error}") from error


def cmd_db(args: argparse.Namespace) -> int:
    from service.config import get_settings

    store = _open_store()  # opening migrates
    try:
        if args.action == "upgrade":
            from service.store.engine import current_revision

            print(f"store {store.where} is at revision {current_revision(store.engine)}")
        else:
            removed = store.purge(get_settings().retention_days)
            print(
                f"purged {removed['review_items']} review items and {removed['deliveries']} "
                f"finished webhook deliveries older than {get_settings().retention_days:g} days"
            )
    finally:
        store.dispose()
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from service.store import keys

    store = _open_store()
    try:
        with store.transaction() as connection:
            if args.action == "create":
                if not args.name or not args.role:
                    raise SystemExit("recruitscan: keys create needs --role and --name")
                try:
                    key = keys.create(connection, name=args.name, role=args.role)
                except keys.KeyProblem as error:
                    raise SystemExit(f"recruitscan: {error}") from error
                print(
                    f"created key '{args.name}' with role '{args.role}' in {store.where}; it is "
                    "shown only now, keep it somewhere safe:",
                    file=sys.stderr,
                )
                print(key)
            elif args.action == "revoke":
                if not args.name:
                    raise SystemExit("recruitscan: keys revoke needs a NAME")
                if not keys.revoke(connection, args.name):
                    raise SystemExit(f"recruitscan: no key named {args.name!r}")
                print(f"revoked key '{args.name}'")
            else:
                for row in keys.list_keys(connection):
                    print(f"{row['name']}\t{row['role']}\t{row['prefix']}...\t{row['created_at']}")
    finally:
        store.dispose()
    return 0


def cmd_retrain(args: argparse.Namespace) -> int:
    from service.config import get_settings
    from training.dataset import DataError
    from training.retrain import describe, read_store_verdicts, read_verdict_file, retrain

    try:
        if args.verdicts:
            verdicts = read_verdict_file(Path(args.verdicts))
        else:
            verdicts = read_store_verdicts(get_settings().store_url())
    except (DataError, OSError) as error:
        raise SystemExit(f"recruitscan: {error}") from error
    print(
        f"retraining from {args.data_dir} with {len(verdicts)} reviewer verdicts ...",
        file=sys.stderr,
    )
    result = retrain(
        Path(args.data_dir),
        _model_dir(args.model_dir),
        verdicts,
        design=args.design,
        seed=args.seed,
    )
    print(describe(result))
    return 0


def parser() -> argparse.ArgumentParser:
    from training.pipeline import DESIGNS

    main = argparse.ArgumentParser(prog="recruitscan", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--model-dir")
    serve.set_defaults(run=cmd_serve)

    train = commands.add_parser("train", help="train a model from data/ and make it current")
    train.add_argument("--data-dir", default=str(DEFAULT_DATA))
    train.add_argument("--model-dir")
    train.add_argument("--design", default="stacked", choices=DESIGNS)
    train.add_argument("--seed", type=int, default=13)
    train.add_argument(
        "--if-missing", action="store_true", help="do nothing if a valid model exists"
    )
    train.set_defaults(run=cmd_train)

    evaluate = commands.add_parser("evaluate", help="measure the current model on labelled data")
    target = evaluate.add_mutually_exclusive_group(required=True)
    target.add_argument("--data", help="labelled JSONL with 'text' and 'label'")
    target.add_argument("--split", choices=("train", "validation", "test"), help="a split of data/")
    evaluate.add_argument("--data-dir", default=str(DEFAULT_DATA))
    evaluate.add_argument("--model-dir")
    evaluate.add_argument("--json", help="also write the figures as JSON here")
    evaluate.add_argument("--report", help="write a report folder (Markdown and PNG plots) here")
    evaluate.set_defaults(run=cmd_evaluate)

    score = commands.add_parser("score", help="score JSONL or CSV messages, write JSONL results")
    score.add_argument("input", nargs="?", default="-", help="file, or - for stdin (default)")
    score.add_argument("-o", "--output", default="-", help="file, or - for stdout (default)")
    score.add_argument("--format", default="auto", choices=("auto", "jsonl", "csv"))
    score.add_argument("--text-column", default="text")
    score.add_argument("--model-dir")
    score.set_defaults(run=cmd_score)
    models = commands.add_parser(
        "models", help="list model versions, promote one, or roll back to the previous one"
    )
    models.add_argument("action", choices=("list", "promote", "rollback"))
    models.add_argument("version", nargs="?")
    models.add_argument("--model-dir")
    models.set_defaults(run=cmd_models)

    retrain = commands.add_parser(
        "retrain",
        help="train a challenger with reviewers' verdicts; promote it only if it is not worse",
    )
    retrain.add_argument(
        "--verdicts", help="exported verdicts (JSONL); default: read them from the store"
    )
    retrain.add_argument("--data-dir", default=str(DEFAULT_DATA))
    retrain.add_argument("--model-dir")
    retrain.add_argument("--design", default="stacked", choices=DESIGNS)
    retrain.add_argument("--seed", type=int, default=13)
    retrain.set_defaults(run=cmd_retrain)

    db = commands.add_parser("db", help="migrate the store, or purge expired items now")
    db.add_argument("action", choices=("upgrade", "purge"))
    db.set_defaults(run=cmd_db)

    keys = commands.add_parser("keys", help="create, revoke or list API keys")
    keys.add_argument("action", choices=("create", "revoke", "list"))
    keys.add_argument("name_arg", nargs="?", metavar="NAME", help="the key to revoke")
    keys.add_argument("--name")
    keys.add_argument("--role", choices=("score", "review", "admin"))
    keys.set_defaults(run=cmd_keys)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "name_arg", None) and not args.name:
        args.name = args.name_arg
    return int(args.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
