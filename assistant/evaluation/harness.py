"""Running question sets against their corpora: load items, ask, score, check thresholds, compare runs."""

from __future__ import annotations

import json
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from assistant.evaluation.scoring import ItemResult, SourceReader, score_item

REQUIRED_FIELDS = ("id", "question", "lang", "category", "answerable", "source")
# Thresholds on these metrics are upper bounds; on every other metric, lower bounds.
MAXIMUM_METRICS = frozenset({"ungrounded", "errors", "latency_p50_ms", "latency_p95_ms", "wrong", "wrong_rate",
                             "risk_coverage_area"})
SPLITS = ("train", "dev", "test")


class AnswersQuestions(Protocol):
    def ask(self, question: str) -> Any:  # returns an assistant.answer.Answer
        ...


@dataclass
class QuestionSet:
    """One question file, the corpus its questions are about, and the thresholds it must meet."""

    name: str
    questions: Path
    corpus: Path | list[Path]  # one folder, or folders and files assembled into one library
    thresholds: dict[str, float] = field(default_factory=dict)
    split_of: dict[str, str] = field(default_factory=dict)  # document file name → train | dev | test
    split_thresholds: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def corpus_parts(self) -> list[Path]:
        return list(self.corpus) if isinstance(self.corpus, list) else [self.corpus]


def load_items(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL eval file; a malformed line is an error naming the file and line."""
    items = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from error
            item = normalise_item(item, Path(path))
            missing = [key for key in REQUIRED_FIELDS if key not in item]
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
            items.append(item)
    return items


def normalise_item(item: dict[str, Any], path: Path) -> dict[str, Any]:
    """Question-bank items (`briefing`, a list of `evidence` sentences) in the eval item format."""
    item = dict(item)
    if "source" not in item and "briefing" in item:
        item["source"] = str(path.parent / "briefings" / item["briefing"])
    evidence = item.get("evidence")
    if isinstance(evidence, list):
        item["evidence"] = evidence[0] if evidence else None
        item["evidence_alt"] = list(item.get("evidence_alt", [])) + evidence[1:]
    return item


def load_split(path: Path) -> dict[str, str]:
    """`split.toml` ([split] train/dev/test = [document names]) as document file name → split."""
    with Path(path).open("rb") as handle:
        table = tomllib.load(handle).get("split", {})
    split_of: dict[str, str] = {}
    for split, names in table.items():
        if split not in SPLITS:
            raise ValueError(f"{path}: unknown split {split!r} (use {', '.join(SPLITS)})")
        for name in names:
            name = name if name.endswith(".md") else f"{name}.md"
            if name in split_of:
                raise ValueError(f"{path}: {name} is in both {split_of[name]} and {split}")
            split_of[name] = split
    return split_of


def load_config(thresholds: Path | None) -> dict[str, dict[str, Any]]:
    """The `[sets.<name>]` tables of thresholds.toml (empty when there is no file)."""
    if thresholds is None or not Path(thresholds).is_file():
        return {}
    with Path(thresholds).open("rb") as handle:
        return tomllib.load(handle).get("sets", {})


def corpus_of(items: list[dict[str, Any]]) -> Path | None:
    """The folder holding every source of a set's items, when they share one."""
    parents = {Path(item["source"]).parent for item in items}
    return parents.pop() if len(parents) == 1 else None


def resolve_sets(question_files: list[Path] | None, config: dict[str, dict[str, Any]], corpus: Path | None,
                 root: Path) -> list[QuestionSet]:
    """Question sets to run: the given files (or every set of the config), each with its corpus and thresholds.

    A set's corpus is `--corpus` when given, else the config's `corpus`, else the folder of its items' sources.
    """
    if not question_files:
        question_files = [Path(spec["questions"]) for spec in config.values()]
    sets = []
    for path in question_files:
        name, spec = next(
            ((name, spec) for name, spec in config.items() if _same_file(root, spec.get("questions"), path)),
            (path.stem, {}),
        )
        questions = path if path.is_absolute() else root / path
        configured = spec.get("corpus")
        set_corpus: Path | list[Path] | None = corpus
        if set_corpus is None and configured is not None:
            set_corpus = [Path(c) for c in configured] if isinstance(configured, list) else Path(configured)
        if set_corpus is None:
            set_corpus = corpus_of(load_items(questions))
            if set_corpus is None:
                raise ValueError(f"{path}: items cite several folders; give --corpus or a corpus in thresholds.toml")
        absolute = lambda p: p if p.is_absolute() else root / p  # noqa: E731
        set_corpus = [absolute(p) for p in set_corpus] if isinstance(set_corpus, list) else absolute(set_corpus)
        split_of = load_split(absolute(Path(spec["split"]))) if "split" in spec else {}
        split_thresholds = {split: dict(spec[split].get("thresholds", {})) for split in SPLITS if split in spec}
        sets.append(QuestionSet(name, questions, set_corpus, dict(spec.get("thresholds", {})), split_of,
                                split_thresholds))
    return sets


def corpus_files(parts: list[Path]) -> list[Path]:
    """The files of a corpus of several parts: every file under a folder, and single files, in order."""
    return [file for part in parts
            for file in (sorted(p for p in part.rglob("*") if p.is_file()) if part.is_dir() else [part])]


def assemble_corpus(parts: list[Path], target: Path) -> Path:
    """Copy folders' documents and single files into one library folder (a user's library of briefings)."""
    target.mkdir(parents=True, exist_ok=True)
    for file in corpus_files(parts):
        destination = target / file.name
        if destination.exists():
            raise ValueError(f"two documents named {file.name} in the corpus of one set")
        shutil.copyfile(file, destination)
    return target


def _same_file(root: Path, configured: str | None, given: Path) -> bool:
    if not configured:
        return False
    resolve = lambda p: (p if p.is_absolute() else root / p).resolve()  # noqa: E731
    return resolve(Path(configured)) == resolve(given)


class EngineUnavailable(RuntimeError):
    """The assistant could not be built for a corpus."""


def build_assistant(corpus: Path, store: Path) -> AnswersQuestions:
    """The real engine over one corpus and one store."""
    try:
        from assistant import Assistant

        return Assistant(corpus=corpus, store=store)
    except Exception as error:  # import or construction failure: one clear line, not a traceback
        raise EngineUnavailable(f"could not build the assistant for {corpus}: {type(error).__name__}: {error}") from error


def evaluate_set(items: Iterable[dict[str, Any]], assistant: AnswersQuestions, read_source: SourceReader,
                 set_name: str = "", progress: Callable[[Iterable], Iterable] | None = None,
                 split_of: dict[str, str] | None = None,
                 prepare: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None) -> list[ItemResult]:
    """Ask every question and score every Answer; an exception from `ask` fails that item, not the run."""
    results = []
    items = list(items)
    for item in progress(items) if progress else items:
        started = time.perf_counter()
        error = None
        try:
            answer = assistant.ask(item["question"]).to_dict()
        except Exception as exc:  # the harness reports a crashing question instead of stopping
            answer = {"question": item["question"], "answerable": False, "answer": "", "citations": []}
            error = f"{type(exc).__name__}: {exc}"
        latency_ms = (time.perf_counter() - started) * 1000
        if prepare is not None:
            item = prepare(item, answer)
        results.append(score_item(item, answer, read_source, set_name=set_name, latency_ms=latency_ms, error=error,
                                  split=(split_of or {}).get(Path(item["source"]).name)))
    return results


def missed_thresholds(summary: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Human-readable lines for every threshold the summary misses."""
    missed = []
    for metric, bound in thresholds.items():
        value = summary.get(metric)
        if value is None:
            continue  # no items for this metric in this set
        if metric in MAXIMUM_METRICS and value > bound:
            missed.append(f"{metric} = {value:g} > {bound:g}")
        elif metric not in MAXIMUM_METRICS and value < bound:
            missed.append(f"{metric} = {value:.3f} < {bound:g}")
    return missed


def compare_reports(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Item by item: fixed (now passes), broke (no longer passes), changed value (same verdict), added, removed."""
    before = {item["id"]: item for item in old.get("items", [])}
    after = {item["id"]: item for item in new.get("items", [])}
    changes: dict[str, list[dict[str, Any]]] = {"fixed": [], "broke": [], "changed": [], "added": [], "removed": []}
    for item_id, now in after.items():
        then = before.get(item_id)
        if then is None:
            changes["added"].append(now)
            continue
        row = {"id": item_id, "question": now["question"], "old": then["got"].get("value"),
               "new": now["got"].get("value"), "reason": now.get("reason", ""), "old_reason": then.get("reason", "")}
        if now["pass"] and not then["pass"]:
            changes["fixed"].append(row)
        elif then["pass"] and not now["pass"]:
            changes["broke"].append(row)
        elif (row["old"] != row["new"]) or (then["got"].get("answerable") != now["got"].get("answerable")):
            changes["changed"].append(row)
    changes["removed"] = [then for item_id, then in before.items() if item_id not in after]
    return changes


DELTA_METRICS = ("correct", "refused", "wrong", "wrong_rate", "coverage", "answerable_correct",
                 "refusal_of_unanswerable", "risk_coverage_area")


def compare_metrics(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Per set (and split) present in both reports: each headline metric then and now."""
    rows = []
    for name, info in new.get("sets", {}).items():
        then = old.get("sets", {}).get(name)
        if then is None:
            continue
        for metric in DELTA_METRICS:
            before, after = then["summary"].get(metric), info["summary"].get(metric)
            if before is None and after is None:
                continue
            delta = after - before if isinstance(before, (int, float)) and isinstance(after, (int, float)) else None
            rows.append({"set": name, "metric": metric, "old": before, "new": after, "delta": delta})
    return rows
