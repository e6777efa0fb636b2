"""The reader's small fitted models, as scripts/train_reader.py fits them: the per-kind confidence models and
their thresholds, the question-kind model and the document ranker (all logistic regressions, seeded)."""

from __future__ import annotations

import random
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.reader.confidence import KindModel  # noqa: E402
from assistant.reader.candidates import CANDIDATE_DOCUMENTS  # noqa: E402
from assistant.reader.documents import (DOCUMENT_FEATURES, DocumentRanker, document_match_inputs,  # noqa: E402
                                        rank_documents)
from assistant.reader.matcher import match_features  # noqa: E402
from assistant.evaluation.harness import load_items  # noqa: E402
from assistant.evaluation.scoring import units_compatible, within_tolerance  # noqa: E402
from assistant.reader.question_kind import KINDS, NGRAM_RANGE, Phrasing, QuestionKindModel  # noqa: E402

SEED = 20261201
TARGET_WRONG_RATE = 0.02
C_QUESTION_KIND = 0.01  # on standardised components; chosen out of fold on train+dev
# With the phrasing: out of fold on train+dev the kind was right for 193/240 from the vector alone, 208 with
# character n-grams (C 1, n-grams ×3, vector ×0.1), 209 at ×5, 208 at ×10 or C 3.
C_PHRASING, PHRASING_WEIGHT, PHRASING_EMBEDDING_SCALE = 1.0, 3.0, 0.1
C_DOCUMENTS = 0.1  # the document ranker; out of fold on train+dev the first document was right for 154/220 at 0.1, 153 at 1
DOC_MATCH = DOCUMENT_FEATURES.index("doc_match")  # doc_match, then doc_match_gap
# The confidence's regularisation, chosen per kind of answer by grouped out-of-fold log-loss (choose_c): 0.01 was
# right for 440 questions; with 4,037 the stated figures' log-loss was 0.414 at 0.01 and 0.401 at 0.1-1
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
ABSENT_CLASS_BIAS = -30.0
MIN_ANSWERS = 5  # a kind answers only if at least this many out-of-fold answers clear its threshold
EVIDENCE_FACTOR = 5  # ... and their wrong rate is bounded at 95 % by this many times the target (measurable_threshold)


MORE_QUESTIONS = "questions_more.jsonl"  # written for training, on train and dev briefings only (evals/bank/README.md)
WRITTEN = "questions.jsonl"  # evals/training/: briefings and questions written for training (its README.md)


def training_questions(bank: Path, split_of: dict[str, str]) -> list[dict]:
    """The bank's train and dev questions, and the ones written for training on the same briefings
    (MORE_QUESTIONS): every question of a test briefing is left out, and a written one on a test briefing is an
    error."""
    items = [i for i in load_items(bank / "questions.jsonl") if split_of[Path(i["source"]).name] != "test"]
    if (bank / MORE_QUESTIONS).is_file():
        more = load_items(bank / MORE_QUESTIONS)
        unknown = sorted({i["briefing"] for i in more if Path(i["source"]).name not in split_of})
        if unknown:
            raise SystemExit(f"{bank / MORE_QUESTIONS}: briefings in no split of split.toml: {unknown}")
        on_test = sorted({i["briefing"] for i in more if split_of[Path(i["source"]).name] == "test"})
        if on_test:
            raise SystemExit(f"{bank / MORE_QUESTIONS}: questions on test briefings {on_test}")
        items += more
    return refuse_repeated_ids(items)


def refuse_repeated_ids(items: list[dict]) -> list[dict]:
    """`items`, when no two share an id (out-of-fold tables and labels are keyed by it)."""
    ids = [i["id"] for i in items]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"duplicate question ids: {sorted({i for i in ids if ids.count(i) > 1})[:5]}")
    return items


def label(item: dict, figure) -> int:
    """1 when `figure` is what the item asks for: its value (an operand's, for a calculation) in the item's own
    document (the same number elsewhere in the library is a coincidence, not the answer)."""
    if item.get("source") and Path(figure.source).name != Path(item["source"]).name:
        return 0
    value = float(figure.value)
    if item["category"] == "computation":
        return int(any(within_tolerance(o, value, {"type": "relative", "value": 0.005})
                       for o in item.get("operands") or []))
    expected = item.get("expected") or {}
    if "value" not in expected:
        return 0
    return int(within_tolerance(expected["value"], value, item.get("tolerance", {}))
               and units_compatible(expected.get("unit"), figure.unit))


def folds_of(documents: list[str], pairs: list[list[str]], k: int) -> dict[str, int]:
    """Documents into k folds, each pair in one fold, seeded."""
    partner = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    groups, seen = [], set()
    for doc in sorted(documents):
        if doc in seen:
            continue
        group = [doc] + ([partner[doc]] if partner.get(doc) in documents else [])
        seen |= set(group)
        groups.append(group)
    random.Random(SEED).shuffle(groups)
    return {doc: i % k for i, group in enumerate(groups) for doc in group}


def written_briefings(written: Path | None) -> tuple[list[dict], dict[str, str], list[list[str]]]:
    """The briefings written for training (evals/training/): their questions, each briefing in the train split, and
    their pairs (two periods of one release, kept in one fold). None or a folder without questions: nothing."""
    if written is None or not (written / WRITTEN).is_file():
        return [], {}, []
    items = load_items(written / WRITTEN)
    briefings = {path.name for path in (written / "briefings").glob("*.md")}
    unknown = sorted({Path(i["source"]).name for i in items} - briefings)
    if unknown:
        raise SystemExit(f"{written / WRITTEN}: questions on briefings not in {written / 'briefings'}: {unknown}")
    pairs = tomllib.loads((written / "pairs.toml").read_text(encoding="utf-8"))["pairs"] \
        if (written / "pairs.toml").is_file() else []
    return items, dict.fromkeys(sorted(briefings), "train"), [[f"{a}.md", f"{b}.md"] for a, b in pairs]


def _fit_standardised(rows, labels, c: float) -> tuple[tuple, tuple, tuple, float]:
    """(means, scales, weights, intercept) of a logistic regression on the standardised `rows`."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=np.float64)
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    if len(set(labels)) < 2:  # all right or all wrong: a constant model
        rate = float(np.mean(labels)) if len(labels) else 0.0
        return tuple(means), tuple(scales), tuple([0.0] * x.shape[1]), float(np.log((rate + 1e-3) / (1 - rate + 1e-3)))
    model = LogisticRegression(C=c, max_iter=3000, random_state=SEED).fit((x - means) / scales, labels)
    return tuple(means), tuple(scales), tuple(model.coef_[0]), float(model.intercept_[0])


def fit_kind(features, outcomes, threshold: float = 1.0, c: float = C_GRID[0]) -> KindModel:
    return KindModel(*_fit_standardised(features, outcomes, c), threshold)


def out_of_fold(features, outcomes, groups, c: float, extra=((), ())) -> np.ndarray:
    """Each answer's confidence from a model fitted on the other groups' answers (and `extra`, answers of no
    group: external questions); 0 for a group that is all there is."""
    features, outcomes, groups = np.asarray(features, dtype=float), np.asarray(outcomes), np.asarray(groups)
    confidences = np.zeros(len(outcomes))
    for group in np.unique(groups):
        inside, outside = groups != group, groups == group
        if inside.any() and len(set(outcomes[inside])) == 2:
            part = fit_kind(list(features[inside]) + list(extra[0]), list(outcomes[inside]) + list(extra[1]), c=c)
            confidences[outside] = [part.probability(f) for f in features[outside]]
    return confidences


def log_loss(confidences, outcomes) -> float:
    p = np.clip(np.asarray(confidences, dtype=float), 1e-6, 1 - 1e-6)
    y = np.asarray(outcomes, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def choose_c(features, outcomes, groups, extra=((), ())) -> tuple[float, np.ndarray]:
    """The regularisation of C_GRID with the lowest grouped out-of-fold log-loss, and those out-of-fold confidences."""
    best = None
    for c in C_GRID:
        confidences = out_of_fold(features, outcomes, groups, c, extra)
        loss = log_loss(confidences, outcomes)
        if best is None or loss < best[0] - 1e-9:
            best = (loss, c, confidences)
    return best[1], best[2]


def choose_threshold(confidences, outcomes, target=TARGET_WRONG_RATE) -> float:
    """The lowest confidence at which the answers at or above it are at most `target` wrong (1.0, answering
    nothing, when fewer than MIN_ANSWERS would clear it). Answers of equal confidence stand or fall together."""
    confidences = np.asarray(confidences, dtype=float)
    order = np.argsort(-confidences, kind="stable")
    best, wrong = 1.0, 0
    for position, index in enumerate(order, 1):
        wrong += 1 - outcomes[index]
        end_of_tie = position == len(order) or confidences[order[position]] < confidences[index]
        if end_of_tie and wrong / position <= target and position >= MIN_ANSWERS:
            best = float(confidences[index])
    return best


def wrong_rate_bound(answered: int, wrong: int, confidence: float = 0.95) -> float:
    """The one-sided upper confidence bound (Clopper–Pearson) of the wrong rate of `answered` answers with `wrong`
    wrong: 0 wrong of 29 is ≤ 9.8 % wrong at 95 %, 1 of 50 ≤ 9.1 %, 0 of 7 ≤ 35 %."""
    from scipy.stats import beta

    return 1.0 if wrong >= answered else float(beta.ppf(confidence, wrong + 1, answered - wrong))


def measurable_threshold(confidences, outcomes, target=TARGET_WRONG_RATE) -> float:
    """choose_threshold, kept only when the answers that clear it bound their wrong rate by EVIDENCE_FACTOR × target
    at 95 % (10 % at a 2 % target: 29 answers all right, or 50 with one wrong, the fewest that are 2 % wrong): fewer cannot show a rate that low
    (7 of 7 right is as consistent with 20 % wrong as with none), so the kind answers nothing. A target of 0 is
    never shown."""
    threshold = choose_threshold(confidences, outcomes, target)
    if target <= 0 or threshold >= 1.0:
        return 1.0
    cleared = [o for c, o in zip(np.asarray(confidences, dtype=float), outcomes) if c >= threshold]
    bound = wrong_rate_bound(len(cleared), len(cleared) - int(sum(cleared)))
    return threshold if bound <= min(EVIDENCE_FACTOR * target, 1.0) + 1e-12 else 1.0


def vector_key(vector) -> bytes:
    """A question vector as the key of an out-of-fold table (the engine asks with the same float32 vector)."""
    return np.asarray(vector, dtype=np.float32).tobytes()


class KnownKinds:
    """Question-kind probabilities looked up by question vector: out-of-fold ones while training."""

    def __init__(self, table: dict[bytes, dict[str, float]], fallback: QuestionKindModel):
        self.table, self.fallback = table, fallback

    def probabilities(self, vector, text: str | None = None) -> dict[str, float] | None:
        return self.table.get(vector_key(vector)) or self.fallback.probabilities(vector, text)


def fit_question_kinds(vectors, labels, texts=None, classes: tuple[str, ...] = KINDS) -> QuestionKindModel:
    """The question-kind model (or another classifier of questions into `classes`) on standardised question
    vectors and, with `texts`, the questions' character n-grams (tf-idf) beside them in one logistic
    regression."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(vectors, dtype=np.float64)
    # standardised: an embedding's components are ~0.05, so an unscaled fit is all prior and no evidence
    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    y = [classes.index(label) for label in labels]
    if texts is None:
        model = LogisticRegression(C=C_QUESTION_KIND, max_iter=5000, random_state=SEED).fit((x - means) / scales, y)
        embedding_scale, vectorizer = 1.0, None
    else:
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=2, sublinear_tf=True)
        grams = vectorizer.fit_transform(texts)
        embedding_scale = PHRASING_EMBEDDING_SCALE
        features = hstack([csr_matrix((x - means) / scales * embedding_scale), grams * PHRASING_WEIGHT]).tocsr()
        model = LogisticRegression(C=C_PHRASING, max_iter=5000, random_state=SEED).fit(features, y)
    dimension = x.shape[1]
    width = model.coef_.shape[1]
    weights, bias = np.zeros((len(classes), width)), np.zeros(len(classes))
    if len(model.classes_) == 2:  # one row: the log-odds of the second class against the first
        weights[model.classes_[1]], bias[model.classes_[1]] = model.coef_[0], model.intercept_[0]
    else:
        for row, cls in enumerate(model.classes_):
            weights[cls], bias[cls] = model.coef_[row], model.intercept_[row]
    absent = [c for c in range(len(classes)) if c not in set(model.classes_)]
    bias[absent] = ABSENT_CLASS_BIAS  # a class no training question has is never predicted
    # fold the standardisation into the weights: w·(x - m)/s·k + b = (w·k/s)·x + (b - w·k·m/s)
    embedding = weights[:, :dimension] * embedding_scale / scales
    phrasing = None
    if vectorizer is not None:
        columns = {gram: int(column) for gram, column in vectorizer.vocabulary_.items()}
        phrasing = Phrasing(columns, np.asarray(vectorizer.idf_, dtype=np.float64),
                            weights[:, dimension:] * PHRASING_WEIGHT)
    return QuestionKindModel(embedding, bias - embedding @ means, phrasing, tuple(classes))


def fit_document_ranker(rows, labels) -> DocumentRanker:
    """The document ranker: standardised logistic regression, one row per (question, retrieved document)."""
    return DocumentRanker(*_fit_standardised(rows, labels, C_DOCUMENTS))


def record_document_rows(engine, items, inputs: list | None = None):
    """(item id, [(source, features)] of the documents its retrieval reaches in best-chunk order, its document); with
    `inputs`, the document matcher's inputs of each item, its documents in the same order, are appended to it (their
    doc_match features are placeholders until `fill_document_matches`)."""
    from assistant.analyse import analyse
    from assistant.reader.documents import POOL_CHUNKS

    recorded = []
    for item in items:
        analysis = analyse(item["question"], None)
        pool = engine.retriever.search(analysis.text, POOL_CHUNKS, candidates=POOL_CHUNKS)
        question_vector = engine.semantic.question_vector(analysis.text)
        ranked = rank_documents(analysis, pool, engine.views, engine.semantic, question_vector=question_vector)
        if inputs is not None:
            made = document_match_inputs(engine.semantic, question_vector, [(d.source, d.best_chunk) for d in ranked],
                                         engine.views, engine.retriever.store.vectors)
            assert made is not None, "every retrieved chunk is in the store while training"
            inputs.append(made)
        recorded.append((item["id"], [(Path(d.source).name, list(d.features)) for d in ranked],
                         Path(item["source"]).name))
    return recorded


def fill_document_matches(document_rows, inputs, matcher_of) -> None:
    """The doc_match features of each recorded document row (in place), from `matcher_of(item id)`'s scores."""
    for (item_id, documents, _), x in zip(document_rows, inputs, strict=True):
        for (_, features), match in zip(documents, match_features(matcher_of(item_id).scores(x)), strict=True):
            features[DOC_MATCH], features[DOC_MATCH + 1] = match


def fit_documents(document_rows, predicate):
    rows, labels = [], []
    for item_id, documents, gold in document_rows:
        if predicate(item_id):
            rows += [features for _, features in documents]
            labels += [int(source == gold) for source, _ in documents]
    return fit_document_ranker(rows, labels)


def documents_at(document_rows, ranker_of) -> dict[str, int]:
    """How often the item's document is first and among the CANDIDATE_DOCUMENTS read: ranked by `ranker_of(item
    id)`, and by the best chunk."""
    counts = defaultdict(int)
    for item_id, documents, gold in document_rows:
        scores = ranker_of(item_id).probabilities([features for _, features in documents])
        ranked = [documents[j][0] for j in sorted(range(len(documents)), key=lambda j: -scores[j])]
        plain = [source for source, _ in documents]
        counts["questions"] += 1
        counts["first"] += ranked[:1] == [gold]
        counts["read"] += gold in ranked[:CANDIDATE_DOCUMENTS]
        counts["plain_first"] += plain[:1] == [gold]
        counts["plain_read"] += gold in plain[:CANDIDATE_DOCUMENTS]
    return dict(counts)


class KnownForms(KnownKinds):
    """Answer-form expectations looked up by question vector: out-of-fold ones while training."""

    def expect(self, vector, text: str | None = None):
        return self.table.get(vector_key(vector)) or self.fallback.expect(vector, text)


def answer_form_labels(calls, stated_items: set[str]) -> dict[str, tuple[str, str, str]]:
    """(unit class, kind class, scale class) of the first right figure of each stated question's first slot query
    with one."""
    from assistant.reader.answer_form import kind_class, scale_class, unit_class
    from assistant.reader.features import FEATURE_NAMES

    stated = FEATURE_NAMES.index("stated_slot")
    labels = {}
    for item_id, rows, row_labels in calls:
        if item_id in labels or item_id not in stated_items:
            continue
        right = next((row for row, positive in zip(rows, row_labels) if positive and row[stated]), None)
        if right is not None:
            labels[item_id] = (unit_class(right), kind_class(right), scale_class(right))
    return labels


def fit_answer_form(vectors, texts, labels):
    from assistant.reader.answer_form import KIND_CLASSES, SCALE_CLASSES, UNIT_CLASSES, AnswerForm

    return AnswerForm(fit_question_kinds(vectors, [u for u, _, _ in labels], texts, UNIT_CLASSES),
                      fit_question_kinds(vectors, [k for _, k, _ in labels], texts, KIND_CLASSES),
                      fit_question_kinds(vectors, [c for _, _, c in labels], texts, SCALE_CLASSES))


def fit_answer_forms(items, labels, vector_of, fold_of_item, folds):
    """The answer-form model out of fold (a table of each question's expectation by its vector, and how often
    its most likely unit and kind were right) and on every labelled question."""
    labelled = [i for i in items if i["id"] in labels]

    def fitted(chosen):
        return fit_answer_form([vector_of[i["question"]] for i in chosen], [i["question"] for i in chosen],
                               [labels[i["id"]] for i in chosen])

    table, hits = {}, {"unit": 0, "kind": 0, "scale": 0, "questions": len(labelled)}
    for fold in range(folds):
        model = fitted([i for i in labelled if fold_of_item[i["id"]] != fold])
        for item in items:
            if fold_of_item[item["id"]] != fold:
                continue
            expectation = model.expect(vector_of[item["question"]], item["question"])
            table[vector_key(vector_of[item["question"]])] = expectation
            if item["id"] in labels:
                unit, kind, scale = labels[item["id"]]
                hits["unit"] += model.unit.classes[int(np.argmax(expectation.units))] == unit
                hits["kind"] += model.kind.classes[int(np.argmax(expectation.kinds))] == kind
                hits["scale"] += model.scale.classes[int(np.argmax(expectation.scales))] == scale
    return table, fitted(labelled), hits
