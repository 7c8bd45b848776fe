from pathlib import Path

from training.datacard import BEGIN, END, render
from training.dataset import load_records

DATA = Path(__file__).resolve().parents[2] / "data"


def test_data_card_tables_match_the_data() -> None:
    card = (DATA / "README.md").read_text(encoding="utf-8")
    block = card.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == render(load_records(DATA)).strip(), (
        "data/README.md is out of date: run `.venv/bin/python -m training.datacard`"
    )
