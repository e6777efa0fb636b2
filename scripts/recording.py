"""How scripts/train_reader.py records the engine for training: every slot query's candidate rows (the Recorder
stands in for the figure scorer), the lookups of the hand-written sets over their own corpora, and answers to
external QA training questions."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.harness import assemble_corpus, load_config, load_items, resolve_sets  # noqa: E402
from assistant.evaluation.scoring import score_item, source_reader  # noqa: E402
from assistant.reader.features import FEATURE_NAMES  # noqa: E402
from reader_fitting import label  # noqa: E402

RULE_ACCEPTS = FEATURE_NAMES.index("rule_accepts")
RULE_SCORE = FEATURE_NAMES.index("rule_score")


class Recorder:
    """A FigureScorer that ranks by the rule score and records every call's rows for training."""

    def __init__(self):
        self.calls: list[tuple[str, list[list[float]], list]] = []
        self.item_id = ""

    def score(self, rows, figures):
        self.calls.append((self.item_id, [list(r) for r in rows], list(figures)))
        return [r[RULE_SCORE] if r[RULE_ACCEPTS] else float("-inf") for r in rows]


def recording_text(question: str) -> str:
    """The text the engine embeds for a question (its analysis' understanding of it)."""
    from assistant.analyse import analyse

    return analyse(question, None).text


def tuned_set_questions(work: Path) -> list[tuple[str, dict]]:
    return [(name, i) for name, spec in tuned_sets(work).items() for i in load_items(spec["questions"])]


def tuned_sets(work: Path) -> dict[str, dict]:
    """The hand-written sets of evals/thresholds.toml (every set but the bank, the one with a split) as the eval
    resolves them: name → {questions, corpus}; a corpus of several parts is assembled into one library under
    `work`, as the eval does."""
    chosen = {}
    for question_set in resolve_sets(None, load_config(ROOT / "evals" / "thresholds.toml"), None, ROOT):
        if question_set.split_of:
            continue  # the bank itself
        corpus = question_set.corpus
        if isinstance(corpus, list):
            corpus = work / question_set.name / "library"
            if not corpus.is_dir():
                assemble_corpus(question_set.corpus_parts, corpus)
        chosen[question_set.name] = {"questions": question_set.questions, "corpus": corpus}
    return chosen


def record_tuned_sets(args, document_ranker, answer_form, matcher, document_matcher, question_kinds) -> list:
    """Slot queries of the lookups of the hand-written sets, each against its own corpus:
    (set, item id, rows, labels)."""
    recorded = []
    for name, spec in tuned_sets(args.work).items():
        recorder = Recorder()
        engine = Assistant(corpus=spec["corpus"], store=args.work / name / "store", scorer=recorder,
                           calibrator=False, gates=args.gates, question_kinds=question_kinds,
                           document_ranker=document_ranker,
                           answer_form=answer_form, matcher=matcher, document_matcher=document_matcher)
        items = [i for i in load_items(spec["questions"]) if i["category"] in ("lookup", "paraphrase", "date")]
        by_item = {i["id"]: i for i in items}
        for item in items:
            recorder.item_id = item["id"]
            engine.ask(item["question"])
        recorded += [(name, i, rows, [label(by_item[i], f) for f in figures]) for i, rows, figures in recorder.calls]
    print(f"tuned sets: {len(recorded)} slot queries, {sum(sum(c[3]) for c in recorded)} positives", file=sys.stderr)
    return recorded


def external_answers(args, scorer, question_kinds, document_ranker, answer_form,
                     matcher, document_matcher) -> list[tuple[str, list[float], int]]:
    """(kind, confidence features, right?) of the engine's answers to external training questions, each set
    against its own passages: real questions written by others, unanswerable ones included."""
    from assistant.evaluation import external

    sets = [external.facqa_numeric(args.external, "facqa_id_train.jsonl", held_out="facqa/valid"),
            external.idk_mrc(args.external, "idk_mrc_train.jsonl", held_out="idk_mrc/valid",
                             limit=args.external_limit)]
    answers = []
    for chosen in sets:
        library = chosen.write_corpus(args.work / chosen.name / "library")
        engine = Assistant(corpus=library, store=args.work / chosen.name / "store", scorer=scorer, calibrator=False,
                           gates=args.gates, question_kinds=question_kinds, document_ranker=document_ranker,
                           answer_form=answer_form, matcher=matcher, document_matcher=document_matcher)
        read_source = source_reader(ROOT, library)
        for item in chosen.items:
            answer, features, kind = engine.ask_traced(item["question"])
            if features is not None:
                given = answer.to_dict()
                result = score_item(external.resolve_expected(item, given), given, read_source)
                answers.append((kind, features, int(result.outcome == "correct")))
        print(f"{chosen.name}: {len(chosen.items)} questions, {len(answers)} answers so far, "
              f"{sum(a[2] for a in answers)} right", file=sys.stderr)
    return answers
