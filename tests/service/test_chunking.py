import numpy as np

from service.chunking import MIN_CHUNK_CHARS, chunks, pooled_scores


def test_short_texts_are_not_chunked() -> None:
    assert chunks("one line\nanother line") == []
    assert chunks("x" * (2 * MIN_CHUNK_CHARS - 1)) == []


def test_paragraphs_are_merged_up_to_the_minimum_size() -> None:
    paragraphs = ["a" * 120, "b" * 120, "c" * 250, "d" * 30]
    pieces = chunks("\n\n".join(paragraphs))
    assert pieces == ["a" * 120 + "\n" + "b" * 120, "c" * 250 + "\n" + "d" * 30]


def test_a_long_text_scores_as_its_most_suspicious_chunk() -> None:
    offer = "OFFER " * 40
    texts = ["short", "family news " * 30 + "\n" + offer + "\n" + "weather " * 30]

    def score(batch: list[str]) -> np.ndarray:
        return np.asarray([0.9 if "OFFER" in t and len(t) < 300 else 0.1 for t in batch])

    assert list(pooled_scores(score, texts)) == [0.1, 0.9]
