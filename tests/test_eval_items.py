"""The ground truth itself: every eval item is well-formed and its evidence really supports it.

The number check here is written independently of the engine's number parser on purpose:
ground truth must not be validated with the code it is meant to test.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import NumberFormatError, parse_decimal

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SET = ROOT / "evals" / "briefing_umkm.jsonl"
EXTRA_SET = ROOT / "evals" / "extra_briefings.jsonl"
HELDOUT_SET = ROOT / "evals" / "heldout_briefings.jsonl"
BLIND2_SET = ROOT / "evals" / "blind2_briefings.jsonl"
CATEGORIES = {"lookup", "paraphrase", "date", "computation", "non_numeric", "unanswerable"}
LANGS = {"id", "en"}
FIGURE_CATEGORIES = {"lookup", "paraphrase", "date"}

SCALES = {
    "ribu": 10**3, "thousand": 10**3,
    "juta": 10**6, "million": 10**6,
    "miliar": 10**9, "milyar": 10**9, "billion": 10**9,
    "triliun": 10**12, "trillion": 10**12,
}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SCALE_AFTER = re.compile(r"\s*(" + "|".join(SCALES) + r")\b", re.IGNORECASE)


def numbers_in(text: str) -> set[Decimal]:
    """Every reading of every number in `text`, in both the id and en conventions, scaled."""
    readings: set[Decimal] = set()
    for match in NUMBER.finditer(text):
        token = match.group()
        scale_match = SCALE_AFTER.match(text, match.end())
        scale = SCALES[scale_match.group(1).lower()] if scale_match else 1
        for locale in ("id", "en"):
            try:
                readings.add(parse_decimal(token, locale=locale, strict=True) * scale)
            except NumberFormatError:
                pass
    return readings


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def all_items() -> list[tuple[str, dict]]:
    return [(path.name, item) for path in (SAMPLE_SET, EXTRA_SET, HELDOUT_SET, BLIND2_SET) for item in load(path)]


ITEMS = all_items()


def item_id(param) -> str:
    return param[1]["id"] if isinstance(param, tuple) else str(param)


def test_numbers_in_reads_both_conventions():
    assert Decimal("22800000") in numbers_in("bertambah menjadi 22,8 juta UMKM")
    assert Decimal("3945200000000000") in numbers_in("setara Rp3.945,2 triliun")
    assert Decimal("15300") in numbers_in("Rp 15,300 per kg")
    assert Decimal("3.50") in numbers_in("sekitar US$3.50 per kg")
    assert Decimal("1250") in numbers_in("tercatat 1.250 eksportir")
    assert Decimal("2100000000") in numbers_in("US$ 2.1 billion")
    assert Decimal("27000000") not in numbers_in("target 30 juta pada 2024")


def test_ids_are_unique_across_sets():
    ids = Counter(item["id"] for _, item in ITEMS)
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("entry", ITEMS, ids=item_id)
def test_item_is_well_formed(entry):
    _, item = entry
    for key in ("id", "question", "lang", "category", "answerable", "source"):
        assert key in item, f"{item.get('id')}: missing {key}"
    assert item["question"].strip()
    assert item["lang"] in LANGS
    assert item["category"] in CATEGORIES
    assert (ROOT / item["source"]).is_file(), f"{item['id']}: source {item['source']} does not exist"
    if item["category"] == "unanswerable":
        assert item["answerable"] is False
        assert "expected" not in item
        return
    assert item["answerable"] is True
    expected = item["expected"]
    assert isinstance(item.get("evidence"), str) and item["evidence"].strip()
    if item["category"] == "non_numeric":
        assert isinstance(expected.get("text"), str) and expected["text"].strip()
    else:
        assert isinstance(expected.get("value"), (int, float))
        assert "unit" in expected
        tolerance = item["tolerance"]
        assert tolerance["type"] in {"relative", "absolute"}
        assert 0 <= tolerance["value"] <= 0.05


@pytest.mark.parametrize("entry", [e for e in ITEMS if e[1]["answerable"]], ids=item_id)
def test_evidence_is_verbatim_in_source(entry):
    _, item = entry
    text = (ROOT / item["source"]).read_text(encoding="utf-8")
    assert item["evidence"] in text, f"{item['id']}: evidence not verbatim in {item['source']}"
    for extra in item.get("evidence_all", []) + item.get("evidence_alt", []):
        assert extra in text, f"{item['id']}: evidence_all/evidence_alt entry not verbatim: {extra!r}"


@pytest.mark.parametrize("entry", [e for e in ITEMS if e[1]["category"] in FIGURE_CATEGORIES], ids=item_id)
def test_evidence_states_the_expected_figure(entry):
    _, item = entry
    expected = Decimal(str(item["expected"]["value"]))
    tolerance = Decimal(str(item["tolerance"]["value"]))
    for evidence in [item["evidence"]] + item.get("evidence_alt", []):
        readings = numbers_in(evidence)
        assert any(abs(reading - expected) <= tolerance * abs(expected) for reading in readings), (
            f"{item['id']}: {expected} not among the numbers of its evidence {sorted(readings)}"
        )


@pytest.mark.parametrize("entry", [e for e in ITEMS if e[1]["category"] == "non_numeric"], ids=item_id)
def test_non_numeric_expected_text_is_in_evidence(entry):
    _, item = entry
    assert item["expected"]["text"].casefold() in item["evidence"].casefold()


@pytest.mark.parametrize("path, minimum, unanswerable_minimum", [(SAMPLE_SET, 80, 12), (EXTRA_SET, 40, 8), (HELDOUT_SET, 40, 8), (BLIND2_SET, 40, 8)])
def test_set_size_language_balance_and_unanswerables(path, minimum, unanswerable_minimum):
    items = load(path)
    languages = Counter(item["lang"] for item in items)
    categories = Counter(item["category"] for item in items)
    assert len(items) >= minimum
    assert languages["id"] >= len(items) / 3 and languages["en"] >= len(items) / 3
    assert categories["unanswerable"] >= unanswerable_minimum
    assert set(categories) == CATEGORIES


def test_every_extra_briefing_is_asked_in_both_languages():
    pairs = {(item["source"], item["lang"]) for item in load(EXTRA_SET)}
    sources = {source for source, _ in pairs}
    assert len(sources) == 2
    assert pairs == {(source, lang) for source in sources for lang in LANGS}


BANK = ROOT / "evals" / "bank"


def test_bank_evidence_is_verbatim_and_every_briefing_is_in_exactly_one_split():
    from assistant.evaluation.harness import load_items, load_split

    split_of = load_split(BANK / "split.toml")
    briefings = {path.name for path in (BANK / "briefings").glob("*.md")}
    assert set(split_of) == briefings and len(briefings) == 30
    assert sum(split == "test" for split in split_of.values()) >= 8
    items = load_items(BANK / "questions.jsonl")
    assert len(items) == 360 and len({item["id"] for item in items}) == 360
    for item in items:
        text = (ROOT / item["source"]).read_text(encoding="utf-8")
        for sentence in [item["evidence"], *item.get("evidence_alt", [])]:
            assert sentence is None or sentence in text, (item["id"], sentence)
        assert item["category"] in CATEGORIES and item["lang"] in LANGS


def test_questions_written_for_training_are_on_train_and_dev_briefings_and_check_out():
    """evals/bank/questions_more.jsonl (training data of scripts/train_reader.py) and questions_text.jsonl: never a
    test briefing, no id of the bank's own, evidence verbatim, stated values or expected text in their evidence,
    computed values equal to their operation."""
    from assistant.evaluation.harness import load_items, load_split

    split_of = load_split(BANK / "split.toml")
    bank_ids = {item["id"] for item in load_items(BANK / "questions.jsonl")}
    more = load_items(BANK / "questions_more.jsonl")
    assert len(more) >= 150
    for_sentences = load_items(BANK / "questions_text.jsonl")  # written for the sentence reader, not trained on yet
    assert len(for_sentences) >= 50
    assert {item["category"] for item in for_sentences} == {"non_numeric", "unanswerable"}
    more += for_sentences
    assert len({item["id"] for item in more}) == len(more)
    assert not bank_ids & {item["id"] for item in more}
    for item in more:
        assert split_of[item["briefing"]] in ("train", "dev"), item["id"]
        check_training_item(item)


TRAINING = ROOT / "evals" / "training"


def test_briefings_written_for_training_are_not_the_banks_and_their_questions_check_out():
    """evals/training/ (briefings and questions written for scripts/train_reader.py): every question on one of its
    briefings, none named like a bank briefing, every pair of periods two of its briefings, each item checks out."""
    import tomllib

    from assistant.evaluation.harness import load_items

    briefings = {path.name for path in (TRAINING / "briefings").glob("*.md")}
    assert len(briefings) >= 12 and not briefings & {path.name for path in (BANK / "briefings").glob("*.md")}
    items = load_items(TRAINING / "questions.jsonl")
    assert len(items) >= 20 * len(briefings) and len({item["id"] for item in items}) == len(items)
    assert {Path(item["source"]).name for item in items} == briefings
    pairs = tomllib.loads((TRAINING / "pairs.toml").read_text(encoding="utf-8"))["pairs"]
    assert {f"{name}.md" for pair in pairs for name in pair} <= briefings
    for item in items:
        check_training_item(item)


def check_training_item(item: dict) -> None:
    """Evidence verbatim in its briefing, stated values or expected text in their evidence, computed values equal to
    their operation."""
    from assistant.figures import extract_figures
    from assistant.reader.question_kind import KINDS

    operations = {"difference": lambda a, b: a - b, "remaining": lambda a, b: a - b,
                  "share": lambda a, b: a / b * 100, "percent_change": lambda old, new: (new - old) / old * 100,
                  "ratio": lambda a, b: a / b, "per_period": lambda a, b: a / b, "sum": lambda *xs: sum(xs),
                  "average": lambda *xs: sum(xs) / len(xs), "product": lambda a, b: a * b}
    assert item["category"] in CATEGORIES and item["lang"] in LANGS, item["id"]
    assert item.get("asks") in (None, *KINDS), item["id"]
    text = (ROOT / item["source"]).read_text(encoding="utf-8")
    evidence = [sentence for sentence in [item["evidence"], *item.get("evidence_alt", [])] if sentence]
    assert all(sentence in text for sentence in evidence), item["id"]
    if not item["answerable"]:
        assert item["expected"] is None or item["expected"].get("refusal"), item["id"]
        return
    if item["category"] == "non_numeric":
        assert item["expected"]["text"].casefold() in item["evidence"].casefold(), item["id"]
        return
    value = item["expected"]["value"]
    if item["category"] in ("lookup", "paraphrase", "date"):
        language = "en" if "\nlanguage: en" in text else "id"
        stated = [float(f.value) for sentence in evidence
                  for f in extract_figures(sentence, [(0, len(sentence))], "s", language)]
        written = float(value).is_integer() and any(f"{int(value)}th" in sentence for sentence in evidence)
        assert written or any(abs(s - value) <= 0.005 * abs(value) for s in stated), (item["id"], value, stated)
    else:
        assert item["operation"] in operations, (item["id"], item["operation"])
        computed = operations[item["operation"]](*item["operands"])
        if item["operation"] in ("difference", "remaining"):  # a gap may be stated either way round
            computed = computed if abs(computed - value) < abs(computed + value) else -computed
        assert abs(computed - value) <= 0.005 * abs(value) + 1e-9, (item["id"], computed, value)
