"""Candidate figures of a tiny in-test document, ranked by the rule score or by a given scorer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.analyse import analyse
from assistant.reader.candidates import CANDIDATE_DOCUMENTS, candidate_figures, question_quantities
from assistant.reader.features import FEATURE_NAMES
from assistant.schema import ScoredChunk
from conftest import views_of

INDONESIAN = """---
title: "Ekspor Kopi Naik pada 2023"
publisher: Contoh
date: 2024-01-15
language: id
---
Badan Pusat Statistik mencatat ekspor kopi pada 2023 mencapai 1,2 miliar dolar AS.

Nilai itu naik 15 persen dibandingkan 2022.

Sementara itu, impor kopi pada 2023 tercatat sebesar 300 juta dolar AS.

Jumlah petani kopi pada 2023 mencapai 1,8 juta orang.
"""

ENGLISH = """---
title: "Rice Production Rose in 2023"
publisher: Example
date: 2024-02-20
language: en
---
Statistics Indonesia reported that rice production in 2023 reached 31 million tons.

Production rose 4 percent compared with 2022.

Rice imports in 2023 amounted to 3 million tons.
"""




def _retrieved(chunks, dense=0.85):
    return [ScoredChunk(chunk=c, score=dense - 0.01 * i, dense=dense - 0.01 * i, lexical=0.3)
            for i, c in enumerate(chunks)]


def _candidates(question, views, retrieved, scorer=None):
    analysis = analyse(question)
    period = analysis.periods[0] if len(analysis.periods) == 1 else None
    return candidate_figures(analysis, retrieved, views, period, analysis.role, analysis.wants_current, scorer)


class FakeScorer:
    """Scores each figure by a value table, recording what it was given."""

    def __init__(self, by_value):
        self.by_value = by_value
        self.calls = []

    def score(self, rows, figures):
        self.calls.append((rows, figures))
        return [self.by_value.get(float(f.value), 0.0) for f in figures]


@pytest.fixture
def indonesian(tmp_path):
    return views_of(tmp_path, INDONESIAN)


@pytest.fixture
def english(tmp_path):
    return views_of(tmp_path, ENGLISH)


def test_no_retrieved_chunks_give_no_candidates(indonesian):
    views, _ = indonesian
    assert _candidates("Berapa ekspor kopi pada 2023?", views, []) == []


@pytest.mark.parametrize("which, question, expected", [
    ("indonesian", "Berapa nilai ekspor kopi pada 2023?", 1_200_000_000),
    ("english", "How much rice was produced in 2023?", 31_000_000),
])
def test_without_a_scorer_the_rule_score_ranks(request, which, question, expected):
    views, chunks = request.getfixturevalue(which)
    found = _candidates(question, views, _retrieved(chunks))
    assert found, "the document's figures are candidates"
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    rule = FEATURE_NAMES.index("rule_score")
    accepts = FEATURE_NAMES.index("rule_accepts")
    for candidate in found:  # the score is the rule score (-inf where the rules reject the figure)
        if candidate.features[accepts]:
            assert candidate.score == pytest.approx(candidate.features[rule])
        else:
            assert candidate.score == float("-inf")
    assert float(found[0].figure.value) == expected


def test_a_scorer_decides_the_order_and_sees_every_row(indonesian):
    views, chunks = indonesian
    # the rules would put the export first; the fake prefers the farmers, then the imports
    scorer = FakeScorer({1_800_000.0: 0.9, 300_000_000.0: 0.6})
    found = _candidates("Berapa nilai ekspor kopi pada 2023?", views, _retrieved(chunks), scorer)
    assert [float(c.figure.value) for c in found[:2]] == [1_800_000.0, 300_000_000.0]
    assert [c.score for c in found[:2]] == [0.9, 0.6]
    ((rows, figures),) = scorer.calls
    assert len(rows) == len(figures) == len(found)
    assert all(len(row) == len(FEATURE_NAMES) for row in rows)


def test_every_figure_of_the_top_documents_is_a_candidate_with_a_full_feature_row(tmp_path):
    views, chunks = views_of(tmp_path, INDONESIAN, ENGLISH)
    # only the first chunk of each document is retrieved: their other figures are candidates all the same
    firsts = {}
    for chunk in chunks:
        firsts.setdefault(chunk.source, chunk)
    assert len(firsts) == 2 <= CANDIDATE_DOCUMENTS
    found = _candidates("Berapa nilai ekspor kopi pada 2023?", views, _retrieved(list(firsts.values())))
    keys = {(c.figure.source, c.figure.start) for c in found}
    every = {(f.source, f.start) for view in views.values() for f in view.figures}
    assert keys == every and len(found) == len(every)  # each figure once
    assert all(len(c.features) == len(FEATURE_NAMES) for c in found)
    held = FEATURE_NAMES.index("held_by_retrieved")
    for candidate in found:
        inside = any(s.chunk.source == candidate.figure.source and s.chunk.start <= candidate.figure.start
                     < s.chunk.end for s in _retrieved(list(firsts.values())))
        assert candidate.features[held] == float(inside)


def test_figures_of_documents_beyond_the_top_ones_come_only_from_retrieved_chunks(tmp_path):
    texts = [INDONESIAN.replace("Ekspor Kopi", f"Ekspor Kopi {i}") for i in range(CANDIDATE_DOCUMENTS)] + [ENGLISH]
    views, chunks = views_of(tmp_path, *texts)
    english_source = next(s for s, v in views.items() if v.language == "en")
    english_chunks = [c for c in chunks if c.source == english_source]
    others = [c for c in chunks if c.source != english_source]
    # the English document ranks last (lowest dense) and only its first chunk is retrieved
    retrieved = _retrieved(others, dense=0.9) + _retrieved(english_chunks[:1], dense=0.5)
    found = _candidates("Berapa nilai ekspor kopi pada 2023?", views, retrieved)
    english_found = [c.figure for c in found if c.figure.source == english_source]
    first = english_chunks[0]
    assert english_found, "figures inside a retrieved chunk are always candidates"
    assert all(first.start <= f.start < first.end for f in english_found)
    assert len(english_found) < len(views[english_source].figures)



def test_unit_agreement_keeps_only_figures_of_the_unit_asked(indonesian):
    views, chunks = indonesian
    question = "Berapa persen kenaikan ekspor kopi pada 2023?"
    analysis = analyse(question)
    assert analysis.expected_unit == "%"
    everything = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None)
    agreeing = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None, unit_agreement=True)
    assert {c.figure.unit for c in everything} > {"%"}, "dollars and people are candidates without agreement"
    assert [float(c.figure.value) for c in agreeing] == [15.0]


def test_unit_agreement_keeps_everything_when_no_figure_has_the_unit(english):
    views, chunks = english
    analysis = analyse("What was the rice price in 2023, in rupiah?")
    assert analysis.expected_unit == "currency"  # the briefing states tons and a percent, no money
    everything = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None)
    agreeing = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None, unit_agreement=True)
    assert everything and [c.figure for c in agreeing] == [c.figure for c in everything]


def test_unit_agreement_does_nothing_when_no_unit_is_asked(indonesian):
    views, chunks = indonesian
    analysis = analyse("Ekspor kopi 2023?")
    assert analysis.expected_unit is None
    agreeing = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None, unit_agreement=True)
    assert len(agreeing) == len(candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None))


def test_a_number_the_question_writes_is_not_the_answer_but_may_be_an_operand(english):
    views, chunks = english
    analysis = analyse("How many million tons of rice, after the 3 million tons imported, was produced in 2023?")
    stated = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None, unit_agreement=True)
    operands = candidate_figures(analysis, _retrieved(chunks), views, None, None, False, None)
    assert 3_000_000.0 not in [float(c.figure.value) for c in stated]
    assert 31_000_000.0 in [float(c.figure.value) for c in stated]
    assert 3_000_000.0 in [float(c.figure.value) for c in operands]


def test_the_quantities_a_question_writes_leave_out_its_years_and_dates():
    assert question_quantities("How many of the 34 provinces grew in Q4 2023?", "en") == {Decimal(34)}
    assert question_quantities("Berapa penyaluran LPG 3 kg sepanjang 2023?", "id") == {Decimal(3)}
    assert question_quantities("How much did the December 5, 2023 auction raise?", "en") == set()
    assert question_quantities("Berapa target 30 juta UMKM pada 2024?", "id") == {Decimal(30_000_000)}


# -- training labels and folds (scripts/train_reader.py) -----------------------------------------------


def _figure(value, unit):
    from decimal import Decimal

    from assistant.figures import Figure

    return Figure(value=Decimal(str(value)), unit=unit, text=str(value), start=0, end=1, sentence_start=0,
                  sentence_end=1, source="s")


def test_label_of_a_calculation_operand(train):
    item = {"category": "computation", "operands": [22_000_000, 22_800_000]}
    assert train.label(item, _figure(22_800_000, "UMKM")) == 1
    assert train.label(item, _figure(22_850_000, "UMKM")) == 1  # within 0.5%
    assert train.label(item, _figure(23_000_000, "UMKM")) == 0
    assert train.label({"category": "computation"}, _figure(1, None)) == 0


def test_label_of_a_lookup_needs_the_value_and_a_compatible_unit(train):
    item = {"category": "lookup", "expected": {"value": 35.5, "unit": "%"}}
    assert train.label(item, _figure(35.5, "%")) == 1
    assert train.label(item, _figure(35.5, "pp")) == 1  # percent and points agree
    assert train.label(item, _figure(35.5, "ton")) == 0
    assert train.label(item, _figure(35.4, "%")) == 0  # no tolerance given: exact
    tolerant = dict(item, tolerance={"type": "absolute", "value": 0.2})
    assert train.label(tolerant, _figure(35.4, "%")) == 1
    assert train.label({"category": "lookup", "expected": {"refusal": True}}, _figure(35.5, "%")) == 0


def test_folds_keep_pairs_together_and_are_deterministic(train):
    documents = [f"d{i}.md" for i in range(12)]
    pairs = [["d0.md", "d7.md"], ["d3.md", "d4.md"], ["d10.md", "x.md"]]  # x.md is not among the documents
    folds = train.folds_of(documents, pairs, 3)
    assert set(folds) == set(documents) and set(folds.values()) == {0, 1, 2}
    assert folds["d0.md"] == folds["d7.md"] and folds["d3.md"] == folds["d4.md"]
    assert train.folds_of(list(reversed(documents)), pairs, 3) == folds  # order of the input does not matter
    sizes = [list(folds.values()).count(k) for k in range(3)]
    assert max(sizes) - min(sizes) <= 2


def test_top1_counts_calls_with_a_positive(train):
    calls = [([[0.0], [1.0]], [0, 1]), ([[1.0], [0.0]], [0, 1]), ([[0.5]], [0])]
    assert train.top1(calls, lambda rows: [r[0] for r in rows]) == (1, 2)
    assert train.rule_scores([[0.0] * len(FEATURE_NAMES)]) == [-9.0]


def _bank(tmp_path, more_lines):
    import json

    bank = tmp_path / "bank"
    (bank / "briefings").mkdir(parents=True)
    for name in ("a", "b"):
        (bank / "briefings" / f"{name}.md").write_text("x", encoding="utf-8")

    def item(id_, briefing):
        return json.dumps({"id": id_, "briefing": f"{briefing}.md", "question": "Berapa?", "lang": "id",
                           "category": "lookup", "answerable": True, "expected": {"value": 1, "unit": "%"},
                           "evidence": ["x"]})
    (bank / "questions.jsonl").write_text(item("a-q01", "a") + "\n" + item("b-q01", "b") + "\n", encoding="utf-8")
    if more_lines is not None:
        (bank / "questions_more.jsonl").write_text("".join(item(i, b) + "\n" for i, b in more_lines),
                                                    encoding="utf-8")
    return bank, {"a.md": "train", "b.md": "test"}


def test_training_questions_are_train_and_dev_ones_with_the_written_ones(train, tmp_path):
    bank, split_of = _bank(tmp_path, None)
    assert [i["id"] for i in train.training_questions(bank, split_of)] == ["a-q01"]  # test briefing b left out
    bank, split_of = _bank(tmp_path / "more", [("a-x01", "a")])
    assert [i["id"] for i in train.training_questions(bank, split_of)] == ["a-q01", "a-x01"]


def test_training_questions_refuse_written_questions_on_test_briefings_and_repeated_ids(train, tmp_path):
    bank, split_of = _bank(tmp_path / "test", [("b-x01", "b")])
    with pytest.raises(SystemExit, match="test briefings"):
        train.training_questions(bank, split_of)
    bank, split_of = _bank(tmp_path / "twice", [("a-q01", "a")])
    with pytest.raises(SystemExit, match="duplicate"):
        train.training_questions(bank, split_of)


def test_written_briefings_are_train_with_their_pairs_and_a_question_on_no_briefing_is_an_error(train, tmp_path):
    import json

    written = tmp_path / "training"
    (written / "briefings").mkdir(parents=True)
    for name in ("w-oktober", "w-november", "w-single"):
        (written / "briefings" / f"{name}.md").write_text("x", encoding="utf-8")
    (written / "pairs.toml").write_text('pairs = [["w-oktober", "w-november"]]\n', encoding="utf-8")
    line = {"id": "w-oktober-w01", "briefing": "w-oktober.md", "question": "Berapa?", "lang": "id",
            "category": "lookup", "answerable": True, "expected": {"value": 1, "unit": "%"}, "evidence": ["x"]}
    (written / "questions.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    items, split_of, pairs = train.written_briefings(written)
    assert [i["id"] for i in items] == ["w-oktober-w01"]
    assert split_of == {"w-november.md": "train", "w-oktober.md": "train", "w-single.md": "train"}
    assert pairs == [["w-oktober.md", "w-november.md"]]
    assert train.written_briefings(None) == ([], {}, []) == train.written_briefings(tmp_path / "nothing")
    (written / "questions.jsonl").write_text(json.dumps(line | {"briefing": "elsewhere.md"}) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="elsewhere.md"):
        train.written_briefings(written)
    with pytest.raises(SystemExit, match="duplicate question ids: \\['w-oktober-w01'\\]"):
        train.refuse_repeated_ids(items + items)  # a written question's id again, as a bank id would be


TWO_YEARS = """---
title: "Produksi Garam"
publisher: Contoh
date: 2024-03-01
language: id
---
Produksi garam nasional pada 2023 mencapai 2,5 juta ton.

Pada 2021, produksi garam tercatat 1,1 juta ton.
"""


def test_a_figure_for_another_period_is_no_candidate(tmp_path):
    views, chunks = views_of(tmp_path, TWO_YEARS)
    values = {float(c.figure.value) for c in _candidates("Berapa produksi garam pada 2023?", views, _retrieved(chunks))}
    assert 2_500_000 in values and 1_100_000 not in values
    # a period the document does not cover leaves nothing to answer with
    assert not _candidates("Berapa produksi garam pada 2019?", views, _retrieved(chunks))
    # no period asked: both years stay candidates
    values = {float(c.figure.value) for c in _candidates("Berapa produksi garam?", views, _retrieved(chunks))}
    assert {2_500_000, 1_100_000} <= values


AUCTIONS = """---
title: "Lelang SUN 21 November 2023"
publisher: Contoh
date: 2023-11-22
language: id
---
Pada lelang 21 November 2023 penawaran masuk mencapai Rp27,86 triliun.

Pada lelang 7 November 2023 penawaran masuk mencapai Rp29,14 triliun.

Sepanjang November 2023 pemerintah menyerap dana Rp40 triliun.
"""


def test_a_figure_of_another_day_than_the_one_asked_is_no_candidate(tmp_path):
    views, chunks = views_of(tmp_path, AUCTIONS)
    values = lambda question: {float(c.figure.value) for c in _candidates(question, views, _retrieved(chunks))}
    on_the_day = values("Berapa penawaran masuk pada lelang SUN 7 November 2023?")
    assert 29.14e12 in on_the_day and 27.86e12 not in on_the_day
    assert 40e12 in on_the_day  # a sentence naming no day stays
    assert {29.14e12, 27.86e12} <= values("Berapa penawaran masuk pada lelang SUN November 2023?")  # no day asked
    assert {29.14e12, 27.86e12} <= values("Berapa penawaran pada lelang 14 November 2023?")  # no sentence names it
