"""The evaluation harness, scored against a fake assistant whose Answers we control."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.answer import Answer, Calculation, Citation, CitedFigure, Operand
from assistant.evaluation import harness
from assistant.evaluation.cli import run_eval
from assistant.evaluation.scoring import score_item, source_reader, summarise, units_compatible

DOC = """---
title: UMKM
date: 2023-12-04
---
Per Maret 2023, sebanyak 22 juta UMKM yang telah go digital. Sementara per Juni 2023, bertambah menjadi 22,8 juta UMKM di Indonesia yang telah onboarding digital.

Rudy Salahuddin melaporkan saat ini sekitar 27 juta UMKM yang telah go digital. Target 30 juta UMKM go digital pada 2024.
"""
SOURCE = "corpus/doc.md"
MARCH = "Per Maret 2023, sebanyak 22 juta UMKM yang telah go digital."
JUNE = "Sementara per Juni 2023, bertambah menjadi 22,8 juta UMKM di Indonesia yang telah onboarding digital."
NOW = "Rudy Salahuddin melaporkan saat ini sekitar 27 juta UMKM yang telah go digital."


def item(item_id, question, category="lookup", expected=None, evidence=None, tolerance=0.005, lang="id"):
    data = {"id": item_id, "question": question, "lang": lang, "category": category,
            "answerable": category != "unanswerable", "source": SOURCE}
    if expected is not None:
        data["expected"] = expected
        if "value" in expected:
            data["tolerance"] = {"type": "relative", "value": tolerance}
    if evidence:
        data["evidence"] = evidence
    return data


def cite(sentence, n=1, shift=0):
    start = DOC.index(sentence) + shift
    return Citation(n=n, source=SOURCE, title="UMKM", date="2023-12-04", quote=sentence, start=start,
                    end=start + len(sentence))


def answer(question, value, text, unit="UMKM", sentence=JUNE, figure_text="22,8 juta", shift=0, calculation=None):
    citation = cite(sentence, shift=shift)
    return Answer(question=question, language="id", answerable=True, answer=text, value=value, unit=unit,
                  figures=(CitedFigure(value=value, unit=unit, text=figure_text, period=None, citation=1),),
                  calculation=calculation, citations=(citation,), timings_ms={"total": 12.0})


def refusal(question):
    return Answer(question=question, language="id", answerable=False, answer="Tidak ada di dokumen.",
                  timings_ms={"total": 5.0})


class FakeAssistant:
    """Answers from a dict of question → Answer; unknown questions raise, like a crashing engine."""

    def __init__(self, answers):
        self.answers = answers

    def ask(self, question):
        if question not in self.answers:
            raise RuntimeError("engine exploded")
        return self.answers[question]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / SOURCE).write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def score(repo, it, ans):
    return score_item(it, ans.to_dict(), source_reader(repo, repo / "corpus"))


def test_value_within_tolerance_passes_and_outside_fails(repo):
    it = item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    good = score(repo, it, answer(it["question"], 22_850_000, "**22,8 juta** UMKM [1]"))
    assert good.passed and good.value_correct and good.evidence_retrieved
    bad = score(repo, it, answer(it["question"], 23_000_000, "**22,8 juta** UMKM [1]"))
    assert not bad.passed and bad.value_correct is False
    assert bad.reason.startswith("value 23000000")


def test_units_compare_measures_strictly_and_counted_things_loosely():
    assert units_compatible("IDR/kg", "IDR") and units_compatible("tonnes", "ton") and units_compatible("%", "pp")
    assert units_compatible("UMKM", None) and units_compatible("exporters", "eksportir")
    assert not units_compatible("USD", "IDR") and not units_compatible("%", "UMKM")


def test_wrong_unit_fails_even_with_right_value(repo):
    it = item("t1", "Berapa persen?", expected={"value": 22.8, "unit": "%"}, evidence=JUNE)
    result = score(repo, it, answer(it["question"], 22.8, "22,8 [1]", unit="USD"))
    assert not result.passed and result.reason.startswith("unit 'USD'")


def test_refusals_are_scored_both_ways(repo):
    unanswerable = item("u1", "Berapa UMKM per September 2023?", category="unanswerable")
    answerable = item("a1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    refused_right = score(repo, unanswerable, refusal(unanswerable["question"]))
    answered_wrong = score(repo, unanswerable, answer(unanswerable["question"], 22_800_000, "**22,8 juta** [1]"))
    refused_wrong = score(repo, answerable, refusal(answerable["question"]))
    assert refused_right.passed and not answered_wrong.passed and not refused_wrong.passed
    assert "answered an unanswerable" in answered_wrong.reason
    assert refused_wrong.reason.startswith("refused an answerable question")
    summary = summarise([refused_right, answered_wrong, refused_wrong])
    assert summary["refusal_of_unanswerable"] == 0.5
    assert summary["answerable_not_refused"] == 0.0


def test_planted_wrong_offset_breaks_citation_precision(repo):
    it = item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    right = score(repo, it, answer(it["question"], 22_800_000, "**22,8 juta** [1]"))
    shifted = score(repo, it, answer(it["question"], 22_800_000, "**22,8 juta** [1]", shift=3))
    assert right.citations_valid and not shifted.citations_valid and not shifted.passed
    assert "quote is not corpus/doc.md[" in shifted.reason
    assert summarise([right, shifted])["citation_precision"] == 0.5


def test_figure_must_be_inside_its_citation_quote(repo):
    it = item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    result = score(repo, it, answer(it["question"], 22_800_000, "**22,8 juta** [1]", figure_text="23,8 juta"))
    assert result.citations_valid is False and "'23,8 juta' is not in the quote" in result.reason


def test_citation_of_a_missing_file_is_invalid(repo):
    it = item("t1", "q", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    ans = answer("q", 22_800_000, "**22,8 juta** [1]").to_dict()
    ans["citations"][0]["source"] = "corpus/missing.md"
    result = score_item(it, ans, source_reader(repo, repo / "corpus"))
    assert result.citations_valid is False and "source not found" in result.reason


def test_planted_wrong_number_in_answer_text_is_ungrounded(repo):
    it = item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    result = score(repo, it, answer(it["question"], 22_800_000, "Per Juni 2023 **22,8 juta** UMKM [1], naik 4,1 juta."))
    assert result.ungrounded == ["4,1 juta"] and not result.passed
    assert summarise([result])["ungrounded"] == 1


def test_calculation_result_rounded_in_text_is_grounded(repo):
    it = item("c1", "Berapa persen pertumbuhan Maret ke Juni 2023?", category="computation",
              expected={"value": 3.6364, "unit": "%"}, evidence=JUNE, tolerance=0.01)
    calculation = Calculation(expression="(22800000 - 22000000) / 22000000 * 100", result=3.636363,
                              operands=(Operand(22_000_000, 1), Operand(22_800_000, 1)))
    ans = answer(it["question"], 3.636363, "Naik **3,64 persen** dari 22 juta ke 22,8 juta [1].", unit="%",
                 calculation=calculation)
    result = score(repo, it, ans)
    assert result.ungrounded == [] and result.passed


def test_non_numeric_text_found_in_answer_or_first_quote(repo):
    it = item("n1", "Who reported it?", category="non_numeric", expected={"text": "Rudy Salahuddin"}, evidence=NOW,
              lang="en")
    ans = Answer(question=it["question"], language="en", answerable=True, answer="The deputy minister reported it [1].",
                 citations=(cite(NOW),))
    assert score(repo, it, ans).passed
    elsewhere = Answer(question=it["question"], language="en", answerable=True, answer="Someone [1].",
                       citations=(cite(MARCH),))
    result = score(repo, it, elsewhere)
    assert not result.passed and "'Rudy Salahuddin' not in the answer" in result.reason


def test_retrieval_recall_accepts_an_alternative_evidence_sentence(repo):
    it = item("t3", "Berapa UMKM saat ini?", expected={"value": 27_000_000, "unit": "UMKM"}, evidence=MARCH)
    ans = answer(it["question"], 27_000_000, "**27 juta** [1]", sentence=NOW, figure_text="27 juta")
    assert score(repo, it, ans).evidence_retrieved is False
    it["evidence_alt"] = [NOW]
    assert score(repo, it, ans).evidence_retrieved is True


def test_crashing_question_is_an_error_not_a_refusal(repo):
    items = [item("u1", "unknown question", category="unanswerable")]
    [result] = harness.evaluate_set(items, FakeAssistant({}), source_reader(repo, repo / "corpus"))
    assert not result.passed and result.error and not result.refused and "engine exploded" in result.reason


def test_thresholds_are_lower_bounds_except_maximum_metrics():
    summary = {"numeric_accuracy": 0.9, "ungrounded": 2, "citation_precision": 1.0, "retrieval_recall": None}
    missed = harness.missed_thresholds(summary, {"numeric_accuracy": 0.95, "ungrounded": 0,
                                                 "citation_precision": 1.0, "retrieval_recall": 0.9})
    assert missed == ["numeric_accuracy = 0.900 < 0.95", "ungrounded = 2 > 0"]


def test_compare_lists_fixed_broke_and_changed():
    def report(*rows):
        return {"items": [{"id": i, "question": i, "pass": p, "got": {"value": v, "answerable": True}, "reason": ""}
                          for i, p, v in rows]}

    changes = harness.compare_reports(report(("a", False, 1), ("b", True, 2), ("c", False, 3), ("d", True, 4)),
                                      report(("a", True, 10), ("b", False, 5), ("c", False, 4), ("d", True, 4)))
    assert [r["id"] for r in changes["fixed"]] == ["a"]
    assert [r["id"] for r in changes["broke"]] == ["b"]
    assert [(r["id"], r["old"], r["new"]) for r in changes["changed"]] == [("c", 3, 4)]


def test_set_corpus_comes_from_config_or_from_item_sources(repo):
    questions = repo / "set.jsonl"
    questions.write_text(json.dumps(item("u1", "q", category="unanswerable")) + "\n", encoding="utf-8")
    [derived] = harness.resolve_sets([Path("set.jsonl")], {}, None, repo)
    assert derived.corpus == repo / "corpus" and derived.name == "set"
    config = {"mine": {"questions": "set.jsonl", "corpus": "elsewhere", "thresholds": {"errors": 0}}}
    [configured] = harness.resolve_sets([Path("set.jsonl")], config, None, repo)
    assert (configured.name, configured.corpus, configured.thresholds) == ("mine", repo / "elsewhere", {"errors": 0})


def _write_set(repo, accuracy_threshold):
    items = [item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE),
             item("t2", "Berapa UMKM per Maret 2023?", expected={"value": 22_000_000, "unit": "UMKM"}, evidence=MARCH,
                  lang="en"),
             item("u1", "Berapa UMKM per September 2023?", category="unanswerable")]
    (repo / "set.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    (repo / "thresholds.toml").write_text(
        f'[sets.umkm]\nquestions = "set.jsonl"\ncorpus = "corpus"\n[sets.umkm.thresholds]\n'
        f"numeric_accuracy = {accuracy_threshold}\nungrounded = 0\n", encoding="utf-8")
    return items


def test_run_eval_writes_reports_and_fails_a_missed_threshold(repo, monkeypatch, capsys):
    items = _write_set(repo, accuracy_threshold=0.95)
    fake = FakeAssistant({items[0]["question"]: answer(items[0]["question"], 22_800_000, "**22,8 juta** [1]"),
                          items[1]["question"]: answer(items[1]["question"], 22_800_000, "**22,8 juta** [1]"),
                          items[2]["question"]: refusal(items[2]["question"])})
    stores = []
    monkeypatch.setattr(harness, "build_assistant", lambda corpus, store: stores.append((corpus, store)) or fake)
    code = run_eval(["--thresholds", "thresholds.toml", "--report", "out", "--no-progress"])
    assert code == 1
    assert "numeric_accuracy = 0.500 < 0.95" in capsys.readouterr().out
    assert stores[0][0] == repo / "corpus"
    report = json.loads((repo / "out" / "report.json").read_text(encoding="utf-8"))
    by_id = {row["id"]: row for row in report["items"]}
    assert by_id["t1"]["pass"] and not by_id["t2"]["pass"] and by_id["u1"]["pass"]
    assert set(by_id["t2"]) >= {"id", "question", "category", "lang", "expected", "got", "pass", "reason",
                                "citations", "timings"}
    markdown = (repo / "out" / "report.md").read_text(encoding="utf-8")
    assert "| t2 | wrong | lookup | en |" in markdown and "value 22800000" in markdown
    assert report["sets"]["umkm"]["summary"]["wrong"] == 1 and report["sets"]["umkm"]["summary"]["correct"] == 1
    assert (repo / "out" / "report.png").read_bytes()[:4] == b"\x89PNG"


def test_run_eval_passes_and_compares_with_an_old_report(repo, monkeypatch, capsys):
    items = _write_set(repo, accuracy_threshold=0.5)
    first = {items[0]["question"]: refusal(items[0]["question"]),
             items[1]["question"]: answer(items[1]["question"], 22_000_000, "**22 juta** [1]", sentence=MARCH,
                                          figure_text="22 juta"),
             items[2]["question"]: refusal(items[2]["question"])}
    monkeypatch.setattr(harness, "build_assistant", lambda corpus, store: FakeAssistant(first))
    assert run_eval(["--thresholds", "thresholds.toml", "--report", "old", "--no-progress"]) == 0
    second = dict(first)
    second[items[0]["question"]] = answer(items[0]["question"], 22_800_000, "**22,8 juta** [1]")
    second[items[1]["question"]] = answer(items[1]["question"], 21_000_000, "**22 juta** [1]", sentence=MARCH,
                                          figure_text="22 juta")
    monkeypatch.setattr(harness, "build_assistant", lambda corpus, store: FakeAssistant(second))
    capsys.readouterr()
    code = run_eval(["--thresholds", "thresholds.toml", "--report", "new", "--compare", "old/report.json",
                     "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "fixed: 1" in out and "broke: 1" in out
    assert "Metrics compared" in out and "wrong_rate" in out


def test_run_eval_reports_bad_input_with_exit_2(repo, capsys):
    assert run_eval(["--questions", "missing.jsonl", "--thresholds", "none.toml", "--corpus", "corpus"]) == 2
    assert "question file not found" in capsys.readouterr().out


def test_engine_that_cannot_be_built_is_a_clear_error(repo, monkeypatch, capsys):
    _write_set(repo, accuracy_threshold=0.5)
    monkeypatch.setitem(sys.modules, "assistant.engine", None)  # importing the engine now fails
    assert run_eval(["--thresholds", "thresholds.toml", "--report", "out", "--no-progress"]) == 2
    assert "could not build the assistant" in capsys.readouterr().out


def test_period_labels_and_signs_are_not_ungrounded_numbers(repo):
    it = item("c2", "Berapa selisih UMKM Juni dan Maret 2023?", category="computation",
              expected={"value": 800_000, "unit": "UMKM"}, evidence=JUNE, tolerance=0.01)
    calculation = Calculation(expression="22000000 - 22800000", result=-800_000,
                              operands=(Operand(22_000_000, 1), Operand(22_800_000, 1)))
    ans = answer(it["question"], -800_000, "Turun 800 ribu dari Q2 ke Q1 2023 [1].", calculation=calculation)
    result = score(repo, it, ans)
    assert result.ungrounded == []
    assert not result.passed and result.reason.startswith("value -800000")  # the sign of a gap still matters


def _result(outcome, confidence=None, category="lookup"):
    answered = outcome != "refused"
    from assistant.evaluation.scoring import ItemResult

    return ItemResult(id=f"{outcome}-{confidence}", set="s", question="q", category=category, lang="id",
                      expected=None, got={}, passed=outcome == "correct", reasons=[],
                      refused=not answered, citations_valid=True if answered else None,
                      confidence=confidence if answered else None)


def test_outcomes_count_a_wrong_answer_and_an_answered_unanswerable_as_wrong(repo):
    unanswerable = item("u1", "Berapa UMKM per September 2023?", category="unanswerable")
    answered = score(repo, unanswerable, answer(unanswerable["question"], 22_800_000, "**22,8 juta** [1]"))
    refused = score(repo, unanswerable, refusal(unanswerable["question"]))
    lookup = item("t1", "Berapa UMKM per Juni 2023?", expected={"value": 22_800_000, "unit": "UMKM"}, evidence=JUNE)
    wrong = score(repo, lookup, answer(lookup["question"], 22_000_000, "**22 juta** [1]", sentence=MARCH,
                                       figure_text="22 juta"))
    right = score(repo, lookup, answer(lookup["question"], 22_800_000, "**22,8 juta** [1]"))
    assert [r.outcome for r in (answered, refused, wrong, right)] == ["wrong", "refused", "wrong", "correct"]
    summary = summarise([answered, refused, wrong, right])
    assert (summary["correct"], summary["refused"], summary["wrong"]) == (1, 1, 2)
    assert summary["wrong_rate"] == pytest.approx(2 / 3) and summary["coverage"] == pytest.approx(3 / 4)
    assert summary["by_category"]["unanswerable"]["wrong"] == 1
    assert summary["risk_coverage"] is None  # no confidence in these answers


def test_risk_coverage_moves_the_threshold_down_through_the_answers():
    results = [_result("correct", 0.9), _result("wrong", 0.8), _result("correct", 0.7), _result("correct", 0.7),
               _result("refused")]
    summary = summarise(results)
    curve = summary["risk_coverage"]
    assert [(p["threshold"], p["coverage"], p["wrong"]) for p in curve] == [(0.9, 0.2, 0), (0.8, 0.4, 1),
                                                                             (0.7, 0.8, 1)]
    assert curve[-1]["wrong_rate"] == pytest.approx(0.25)
    # mean wrong rate over the four answered prefixes, over all five items
    assert summary["risk_coverage_area"] == pytest.approx((0 + 1 / 2 + 1 / 3 + 1 / 4) / 5)
    assert harness.missed_thresholds(summary, {"wrong_rate": 0.2}) == ["wrong_rate = 0.25 > 0.2"]


def test_bank_items_and_splits_are_read_and_reported_per_split(repo, monkeypatch):
    (repo / "bank" / "briefings").mkdir(parents=True)
    (repo / "bank" / "briefings" / "doc.md").write_text(DOC, encoding="utf-8")
    (repo / "bank" / "briefings" / "other.md").write_text("---\ntitle: Other\n---\nNothing here.\n", encoding="utf-8")
    bank = [{"id": "b1", "briefing": "doc.md", "question": "Berapa UMKM per Juni 2023?", "lang": "id",
             "category": "lookup", "answerable": True, "expected": {"value": 22_800_000, "unit": "UMKM"},
             "tolerance": {"type": "relative", "value": 0.005}, "evidence": ["not this one", JUNE]},
            {"id": "b2", "briefing": "other.md", "question": "Berapa UMKM per Maret 2023?", "lang": "id",
             "category": "unanswerable", "answerable": False, "expected": None, "evidence": []}]
    (repo / "bank" / "questions.jsonl").write_text("".join(json.dumps(i) + "\n" for i in bank), encoding="utf-8")
    (repo / "bank" / "split.toml").write_text('[split]\ntrain = ["doc"]\ntest = ["other.md"]\n', encoding="utf-8")
    (repo / "thresholds.toml").write_text(
        '[sets.bank]\nquestions = "bank/questions.jsonl"\ncorpus = ["bank/briefings", "corpus/doc.md"]\n'
        'split = "bank/split.toml"\n[sets.bank.train.thresholds]\nwrong_rate = 0.0\n', encoding="utf-8")
    (repo / "corpus" / "doc.md").rename(repo / "corpus" / "sample.md")
    (repo / "thresholds.toml").write_text((repo / "thresholds.toml").read_text().replace("corpus/doc.md",
                                                                                         "corpus/sample.md"))
    loaded = harness.load_items(repo / "bank" / "questions.jsonl")
    assert loaded[0]["source"].endswith("bank/briefings/doc.md") and loaded[0]["evidence_alt"] == [JUNE]
    libraries = []

    def build(corpus, store):
        libraries.append(sorted(p.name for p in corpus.iterdir()))
        return FakeAssistant({bank[0]["question"]: answer(bank[0]["question"], 22_800_000, "**22,8 juta** [1]"),
                              bank[1]["question"]: refusal(bank[1]["question"])})

    monkeypatch.setattr(harness, "build_assistant", build)
    assert run_eval(["--thresholds", "thresholds.toml", "--report", "out", "--no-progress"]) == 0
    assert libraries == [["doc.md", "other.md", "sample.md"]]  # the whole bank and the sample, as one library
    report = json.loads((repo / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(report["sets"]) == {"bank", "bank/train", "bank/test"}
    assert report["sets"]["bank/train"]["summary"]["correct"] == 1
    assert report["sets"]["bank/train"]["thresholds"] == {"wrong_rate": 0.0}
    assert report["sets"]["bank/test"]["thresholds"] == {}  # the test split is reported, never gated
    assert report["sets"]["bank/test"]["summary"]["refused"] == 1 and report["wall_seconds"] >= 0


def test_a_document_in_two_splits_is_refused(tmp_path):
    (tmp_path / "split.toml").write_text('[split]\ntrain = ["a"]\ndev = ["a.md"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="both train and dev"):
        harness.load_split(tmp_path / "split.toml")
