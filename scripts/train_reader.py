"""Train the reader's models from the question bank's train and dev splits and the questions written for training on
the same briefings (evals/bank/questions_more.jsonl), seeded and reproducible.

    .venv/bin/python scripts/train_reader.py [--bank evals/bank] [--folds 10] [--tuned-sets]

1. The figure scorer (LightGBM): every slot query the engine makes for a train/dev question (a lookup, or one
   operand of a calculation) with every candidate figure's features; a figure is a positive when its value is
   the expected one (lookups) or one of the expected operands (calculations).
2. The confidence model (logistic regression): answers to train/dev questions given by a figure scorer that
   did not see their briefings (K folds by document, pairs of briefings in one fold); an answer is positive when
   the eval harness scores it correct. Its threshold is the lowest confidence at which these out-of-fold answers
   are <= 2% wrong.
Before them the document matcher and ranker, the question-to-claim matcher (scripts/matcher_fitting.py), the answer form (the unit and kind of figure a stated question wants, whose
out-of-fold expectations fill the recorded rows) and the question-kind model, each out of fold by document.
The test split is never read. Writes assistant/reader/models/{figure_ranker.txt, confidence.json, question_kind.json,
answer_form.json, document_ranker.json, claim_matcher.npz, document_matcher.npz, card.json}; the numbers go into docs/reader-model.md by hand from card.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from assistant import Assistant  # noqa: E402
from assistant.evaluation.harness import assemble_corpus, corpus_files, load_items, load_split  # noqa: E402
from assistant.evaluation.scoring import score_item, source_reader  # noqa: E402
from assistant.reader.confidence import ANSWER_FEATURES, ANSWER_KINDS, Calibrator  # noqa: E402
from assistant.reader.candidates import CANDIDATE_DOCUMENTS  # noqa: E402
from assistant.reader.documents import DOCUMENT_FEATURES  # noqa: E402
from assistant.reader.features import FEATURE_NAMES  # noqa: E402
from assistant.reader.question_kind import kind_asked  # noqa: E402
from assistant.reader.ranker import MODELS, LearnedScorer  # noqa: E402
from assistant.reader.answer_form import fill  # noqa: E402
from assistant.reader.matcher import DOCUMENT_MATCHER_FILE, DOCUMENT_PARTS, MATCHER_FILE, fill_matches  # noqa: E402
from matcher_fitting import RecordingMatcher, fit_by_fold  # noqa: E402
from recording import Recorder, external_answers, record_tuned_sets, recording_text, tuned_set_questions  # noqa: E402
from reader_fitting import (MIN_ANSWERS, MORE_QUESTIONS, SEED, TARGET_WRONG_RATE, KnownForms,  # noqa: E402,F401
                            KnownKinds, answer_form_labels, choose_c, choose_threshold, documents_at, fit_answer_forms,
                            fit_documents, fit_kind, fit_question_kinds, fill_document_matches,
                            record_document_rows, training_questions, vector_key, DOC_MATCH, written_briefings,
                            label, folds_of, measurable_threshold, refuse_repeated_ids)

RULE_ACCEPTS = FEATURE_NAMES.index("rule_accepts")
RULE_SCORE = FEATURE_NAMES.index("rule_score")
LGB_PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 20,
              "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
              "seed": SEED, "deterministic": True, "num_threads": 2, "verbose": -1}
ROUNDS = 300


def train_ranker(rows, labels):
    import lightgbm

    data = lightgbm.Dataset(np.asarray(rows), label=np.asarray(labels), feature_name=list(FEATURE_NAMES),
                            free_raw_data=False)
    return lightgbm.train(LGB_PARAMS, data, num_boost_round=ROUNDS)


def top1(calls, scores_of) -> tuple[int, int]:
    """(calls whose best-scored figure is a positive, calls with any positive)."""
    hits = total = 0
    for rows, labels in calls:
        if not any(labels):
            continue
        total += 1
        scores = scores_of(rows)
        hits += labels[int(np.argmax(scores))]
    return hits, total


def rule_scores(rows):
    return [r[RULE_SCORE] if r[RULE_ACCEPTS] else -9.0 for r in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", type=Path, default=ROOT / "evals" / "bank",
                        help=f"the question bank: questions.jsonl, split.toml, briefings/ and {MORE_QUESTIONS}")
    parser.add_argument("--written", type=Path, default=ROOT / "evals" / "training",
                        help="briefings and questions written for training (briefings/, questions.jsonl, pairs.toml): "
                             "in the library, trained on as the train split; --written none leaves them out")
    parser.add_argument("--sample", type=Path, default=ROOT / "corpus" / "2023-12-04-umkm-go-digital.md")
    parser.add_argument("--work", type=Path, default=ROOT / ".assistant" / "train-reader")
    parser.add_argument("--folds", type=int, default=10, help="folds by document for the out-of-fold models (pairs in one fold)")
    parser.add_argument("--gates", action="store_true", help="keep the outright refusals on missing terms")
    parser.add_argument("--external", type=Path, metavar="DIR",
                        help="also calibrate confidence on answers to external QA training questions (FacQA train "
                             "quantity questions, IDK-MRC train, none sharing a passage with their valid splits) "
                             "from DIR (../shared/data/external); thresholds stay the bank's")
    parser.add_argument("--external-limit", type=int, default=600, help="IDK-MRC train questions to use")
    parser.add_argument("--tuned-sets", action="store_true",
                        help="add the lookups of the hand-written sets of evals/thresholds.toml (the briefings the "
                             "rules were tuned on) to the figure scorer's training rows")
    args = parser.parse_args(argv)

    split_of = load_split(args.bank / "split.toml")
    pairs = tomllib.loads((args.bank / "split.toml").read_text(encoding="utf-8")).get("pairs", {}).get("pairs", [])
    pairs = [[f"{a}.md", f"{b}.md"] for a, b in pairs]
    items = training_questions(args.bank, split_of)
    bank_ids = {q["id"] for q in load_items(args.bank / "questions.jsonl")}
    bank_own = [i for i in items if i["id"] in bank_ids]
    written = None if str(args.written) == "none" else args.written
    written_items, written_split, written_pairs = written_briefings(written)
    items = refuse_repeated_ids(items + written_items)
    split_of, pairs = split_of | written_split, pairs + written_pairs
    library, store = args.work / "library", args.work / "store"
    parts = [args.bank / "briefings", args.sample] + ([written / "briefings"] if written_items else [])
    wanted = {f.name: f.read_bytes() for f in corpus_files(parts)}
    if library.is_dir() and {f.name: f.read_bytes() for f in library.iterdir()} != wanted:  # changed: build afresh
        shutil.rmtree(library)
        shutil.rmtree(store, ignore_errors=True)
    if not library.is_dir():
        assemble_corpus(parts, library)
    read_source = source_reader(ROOT, library)
    doc_of = {i["id"]: Path(i["source"]).name for i in items}
    split_by_item = {i["id"]: split_of[doc_of[i["id"]]] for i in items}

    # 0. the document matcher and ranker: out of fold (they order the documents whose figures are recorded below)
    # and final
    fold_of = folds_of(sorted(set(doc_of.values())), pairs, args.folds)
    plain = Assistant(corpus=library, store=store, scorer=False, calibrator=False, gates=args.gates, question_kinds=False,
                      document_ranker=False, answer_form=False, matcher=False, document_matcher=False)
    embedder = plain.semantic.embeddings.name
    document_inputs: list[np.ndarray] = []
    document_rows = record_document_rows(plain, [i for i in items if i["answerable"]], document_inputs)
    document_labels = [[int(source == gold) for source, _ in documents] for _, documents, gold in document_rows]
    document_matchers, document_matcher_final = fit_by_fold(
        document_inputs, document_labels, [fold_of[doc_of[item_id]] for item_id, _, _ in document_rows], args.folds,
        SEED, embedder, parts=len(DOCUMENT_PARTS))
    fill_document_matches(document_rows, document_inputs, lambda i: document_matchers[fold_of[doc_of[i]]])
    documents_of_fold = {fold: fit_documents(document_rows, lambda i: fold_of[doc_of[i]] != fold)
                         for fold in range(args.folds)}
    documents_final = fit_documents(document_rows, lambda i: True)
    document_hits = documents_at(document_rows, lambda i: documents_of_fold[fold_of[doc_of[i]]])
    document_hits["matcher_first"] = sum(
        bool(documents) and documents[int(np.argmax([f[DOC_MATCH] for _, f in documents]))][0] == gold
        for _, documents, gold in document_rows)
    print(f"document ranking out of fold: first {document_hits['first']}, among {CANDIDATE_DOCUMENTS} "
          f"{document_hits['read']} of {document_hits['questions']} (best chunk: first "
          f"{document_hits['plain_first']}, among {CANDIDATE_DOCUMENTS} {document_hits['plain_read']}; the document matcher "
          f"alone first {document_hits['matcher_first']})", file=sys.stderr)

    semantic = plain.semantic
    vector_of = {i["question"]: semantic.question_vector(recording_text(i["question"])) for i in items}
    # 0a. the question-kind model (stated figure / calculation / sentence) on question vectors: out-of-fold
    # probabilities for the bank questions (their routing to figures or sentences and their confidence features),
    # the final model on all
    tuned = tuned_set_questions(args.work)
    tuned_vectors = [semantic.question_vector(recording_text(i["question"])) for _, i in tuned]
    tuned_labels = [kind_asked(i) for _, i in tuned]
    tuned_texts = [i["question"] for _, i in tuned]
    known: dict[bytes, dict[str, float]] = {}
    kind_hits = 0
    for fold in range(args.folds):
        inside = [i for i in items if fold_of[doc_of[i["id"]]] != fold]
        model = fit_question_kinds([vector_of[i["question"]] for i in inside] + tuned_vectors,
                                   [kind_asked(i) for i in inside] + tuned_labels,
                                   [i["question"] for i in inside] + tuned_texts)
        for item in items:
            if fold_of[doc_of[item["id"]]] == fold:
                probabilities = model.probabilities(vector_of[item["question"]], item["question"])
                known[vector_key(vector_of[item["question"]])] = probabilities
                kind_hits += max(probabilities, key=probabilities.get) == kind_asked(item)
    question_kinds = fit_question_kinds([vector_of[i["question"]] for i in items] + tuned_vectors,
                                        [kind_asked(i) for i in items] + tuned_labels,
                                        [i["question"] for i in items] + tuned_texts)
    print(f"question kind, out of fold: {kind_hits}/{len(items)}", file=sys.stderr)
    oof_kinds = KnownKinds(known, question_kinds)

    # 1. record every slot query with the rule scorer, each fold's documents ordered by its own ranker
    recorder, recording_matcher = Recorder(), RecordingMatcher()
    for fold in range(args.folds):
        recording = Assistant(corpus=library, store=store, scorer=recorder, calibrator=False, gates=args.gates,
                              question_kinds=oof_kinds, document_ranker=documents_of_fold[fold], answer_form=False,
                              matcher=recording_matcher, document_matcher=document_matchers[fold])
        for item in items:
            if fold_of[doc_of[item["id"]]] == fold:
                recorder.item_id = item["id"]
                recording.ask(item["question"])
    by_item = {i["id"]: i for i in items}
    calls = [(item_id, rows, [label(by_item[item_id], f) for f in figures]) for item_id, rows, figures in recorder.calls]
    print(f"{len(items)} questions, {len(calls)} slot queries, {sum(len(r) for _, r, _ in calls)} candidate rows, "
          f"{sum(sum(l) for _, _, l in calls)} positives", file=sys.stderr)

    # 1a. the question-to-claim matcher: out of fold for the recorded rows (their claim_match feature), final
    match_inputs = recording_matcher.inputs
    assert len(match_inputs) == len(calls) and all(len(x) == len(rows) for x, (_, rows, _) in
                                                   zip(match_inputs, calls)), "each slot query has its matcher inputs"
    matchers_of_fold, matcher_final = fit_by_fold(match_inputs, [labels for _, _, labels in calls],
                                                  [fold_of[doc_of[item_id]] for item_id, _, _ in calls], args.folds,
                                                  SEED, embedder)
    for (item_id, rows, _), x in zip(calls, match_inputs):
        fill_matches(rows, matchers_of_fold[fold_of[doc_of[item_id]]].scores(x))
    claim_column, match_column = FEATURE_NAMES.index("claim_cos"), FEATURE_NAMES.index("claim_match")
    recorded = [(np.asarray(rows), labels) for _, rows, labels in calls]
    matcher_hits = top1(recorded, lambda rows: rows[:, match_column])
    cosine_hits = top1(recorded, lambda rows: rows[:, claim_column])
    print(f"claim matcher out of fold: first {matcher_hits[0]}/{matcher_hits[1]} (claim cosine {cosine_hits[0]})",
          file=sys.stderr)
    np.save(args.work / "match_inputs.npy", np.concatenate(match_inputs))
    (args.work / "match_calls.json").write_text(json.dumps([[item_id, labels] for item_id, _, labels in calls]))

    # 1b. the answer form (the unit and kind of figure a stated question wants): out of fold for the recorded
    # rows, the final model for the hand-written sets' rows and the product
    form_labels = answer_form_labels(calls, {i["id"] for i in items if kind_asked(i) == "lookup"})
    form_table, answer_form, form_hits = fit_answer_forms(items, form_labels, vector_of,
                                                          {i: fold_of[doc_of[i]] for i in doc_of}, args.folds)
    for item_id, rows, _ in calls:
        fill(rows, form_table[vector_key(vector_of[by_item[item_id]["question"]])])
    print(f"answer form, out of fold: unit {form_hits['unit']}, kind {form_hits['kind']}, scale {form_hits['scale']} of {form_hits['questions']}",
          file=sys.stderr)
    oof_forms = KnownForms(form_table, answer_form)

    extra_calls = record_tuned_sets(args, documents_final, answer_form, matcher_final, document_matcher_final,
                                    question_kinds) if args.tuned_sets else []
    # the figure scorer's rows as trained on (out-of-fold matcher and form), for experiments without re-recording
    np.save(args.work / "candidate_rows.npy", np.asarray([r for _, rows, _ in calls for r in rows], dtype=np.float32))
    np.save(args.work / "tuned_rows.npy", np.asarray([r for *_, rows, _ in extra_calls for r in rows], dtype=np.float32))
    (args.work / "tuned_calls.json").write_text(json.dumps([[item_id, labels] for _, item_id, _, labels in extra_calls]))

    def rows_where(predicate):
        rows, labels = [], []
        for item_id, call_rows, call_labels in calls:
            if predicate(item_id):
                rows += call_rows
                labels += call_labels
        for _, _, call_rows, call_labels in extra_calls:
            rows += call_rows
            labels += call_labels
        return rows, labels

    def calls_where(predicate):
        return [(r, l) for item_id, r, l in calls if predicate(item_id)]

    # 2. train on train, measure top-1 on dev (learned vs the rule score)
    train_rows, train_labels = rows_where(lambda i: split_by_item[i] == "train")
    dev_model = train_ranker(train_rows, train_labels)
    dev_calls = calls_where(lambda i: split_by_item[i] == "dev")
    learned_dev = top1(dev_calls, lambda rows: dev_model.predict(np.asarray(rows)))
    rule_dev = top1(dev_calls, rule_scores)
    print(f"dev slot top-1: learned {learned_dev[0]}/{learned_dev[1]}, rule {rule_dev[0]}/{rule_dev[1]}",
          file=sys.stderr)

    # the final figure scorer on all train+dev rows (it answers the external questions, which it never saw)
    all_rows, all_labels = rows_where(lambda i: True)
    final = train_ranker(all_rows, all_labels)
    extra_answers = external_answers(args, LearnedScorer.from_booster(final), question_kinds, documents_final,
                                     answer_form, matcher_final, document_matcher_final) \
        if args.external else []

    # 4. out-of-fold answers over train+dev for the confidence model
    features, outcomes, meta = [], [], []
    oof_counts = defaultdict(lambda: defaultdict(int))
    for fold in range(args.folds):
        rows, labels = rows_where(lambda i: fold_of[doc_of[i]] != fold)
        scorer = LearnedScorer.from_booster(train_ranker(rows, labels))
        engine = Assistant(corpus=library, store=store, scorer=scorer, calibrator=False, gates=args.gates,
                           question_kinds=oof_kinds, document_ranker=documents_of_fold[fold], answer_form=oof_forms,
                           matcher=matchers_of_fold[fold], document_matcher=document_matchers[fold])
        for item in items:
            if fold_of[doc_of[item["id"]]] != fold:
                continue
            answer, answer_feats, kind = engine.ask_traced(item["question"])
            result = score_item(item, answer.to_dict(), read_source)
            oof_counts[split_by_item[item["id"]]][result.outcome] += 1
            oof_counts[item["category"]][result.outcome] += 1
            if answer_feats is not None:
                features.append(answer_feats)
                outcomes.append(int(result.outcome == "correct"))
                meta.append((item["id"], split_by_item[item["id"]], item["category"], kind, result.reason,
                             answer.value))
    print("out-of-fold answers, no threshold:", {k: dict(v) for k, v in oof_counts.items()}, file=sys.stderr)

    # 5. one confidence model per kind of answer; thresholds from grouped cross-validated probabilities (an
    # in-sample fit is optimistic)
    cv_conf = np.zeros(len(features))
    kinds = {}
    curve = {}
    chosen_c = {}
    for kind in ANSWER_KINDS:
        mine = [j for j, m in enumerate(meta) if m[3] == kind]
        if not mine:
            continue
        theirs = [(f, o) for k, f, o in extra_answers if k == kind]
        their_features, their_outcomes = [f for f, _ in theirs], [o for _, o in theirs]
        c, cv_conf[mine] = choose_c([features[j] for j in mine], [outcomes[j] for j in mine],
                                    [fold_of[doc_of[meta[j][0]]] for j in mine], (their_features, their_outcomes))
        chosen_c[kind] = c
        threshold = measurable_threshold(cv_conf[mine], [outcomes[j] for j in mine])
        full = fit_kind([features[j] for j in mine] + their_features, [outcomes[j] for j in mine] + their_outcomes,
                        round(threshold, 4), c)
        kinds[kind] = full
        curve[kind] = {}
        for target in (0.02, 0.05, 0.10, 0.20):
            t = choose_threshold(cv_conf[mine], [outcomes[j] for j in mine], target)
            kept = [j for j in mine if cv_conf[j] >= t]
            curve[kind][str(target)] = {"threshold": round(t, 4), "answered": len(kept),
                                        "correct": sum(outcomes[j] for j in kept)}
    print("out-of-fold risk-coverage by kind:", curve, file=sys.stderr)
    np.save(args.work / "answer_features.npy", np.asarray(features))
    np.save(args.work / "answer_outcomes.npy", np.asarray(outcomes))
    (args.work / "answer_meta.json").write_text(json.dumps(meta))
    calibrator = Calibrator(kinds, args.gates)
    threshold_of = {kind: model.threshold for kind, model in kinds.items()}

    origin_of = {i["id"]: "written" for i in written_items} | {i["id"]: "bank" for i in bank_own}

    def at_threshold(split):
        chosen = [j for j, m in enumerate(meta) if m[1] == split or origin_of.get(m[0], "more") == split]
        kept = [j for j in chosen if cv_conf[j] >= threshold_of.get(meta[j][3], 1.0)]
        right = sum(outcomes[j] for j in kept)
        return {"answered_before": len(chosen), "answered": len(kept), "correct": right, "wrong": len(kept) - right}

    MODELS.mkdir(parents=True, exist_ok=True)
    (MODELS / "figure_ranker.txt").write_text(final.model_to_string(), encoding="utf-8")
    matcher_final.save(MATCHER_FILE)
    document_matcher_final.save(DOCUMENT_MATCHER_FILE)
    (MODELS / "answer_form.json").write_text(json.dumps(answer_form.to_dict()) + "\n", encoding="utf-8")
    (MODELS / "question_kind.json").write_text(json.dumps(question_kinds.to_dict()) + "\n", encoding="utf-8")
    (MODELS / "document_ranker.json").write_text(json.dumps(documents_final.to_dict(), indent=1) + "\n",
                                                 encoding="utf-8")
    (MODELS / "confidence.json").write_text(json.dumps(calibrator.to_dict(), indent=1) + "\n", encoding="utf-8")
    importance = sorted(zip(FEATURE_NAMES, final.feature_importance("gain")), key=lambda p: -p[1])[:12]
    card = {
        "seed": SEED, "questions": len(items), "slot_queries": len(calls), "candidate_rows": len(all_rows),
        "positives": int(sum(all_labels)), "params": LGB_PARAMS, "rounds": ROUNDS,
        "dev_slot_top1": {"learned": learned_dev, "rule": rule_dev},
        "document_ranking_out_of_fold": document_hits,
        "document_weights": dict(zip(DOCUMENT_FEATURES, [round(w, 3) for w in documents_final.weights])),
        "question_kind_out_of_fold": [kind_hits, len(items)],
        "answer_form_out_of_fold": form_hits,
        "claim_matcher_out_of_fold": {"first": matcher_hits, "claim_cosine_first": cosine_hits},
        "out_of_fold_outcomes": {k: dict(v) for k, v in oof_counts.items()},
        "thresholds": threshold_of, "gates": args.gates, "tuned_sets": args.tuned_sets,
        "external_answers": {kind: [sum(1 for k, _, _ in extra_answers if k == kind),
                                    sum(o for k, _, o in extra_answers if k == kind)] for kind in ANSWER_KINDS},
        "oof_risk_coverage": curve, "confidence_c": chosen_c,
        "at_threshold": {name: at_threshold(name) for name in ("train", "dev", "bank", "more", "written")},
        "confidence_weights": {kind: dict(zip(ANSWER_FEATURES, [round(w, 3) for w in model.weights]))
                               for kind, model in kinds.items()},
        "top_features": [(name, round(float(gain), 1)) for name, gain in importance],
    }
    (MODELS / "card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(card, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
