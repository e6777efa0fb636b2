"""Question sets written by others, run end to end: `assistant eval --external DIR`.

- FacQA (IndoNLU) valid, the questions whose answer is a quantity, asked against every FacQA valid passage
  as one library;
- IDK-MRC valid (half of its questions unanswerable), asked against its passages: refusal both ways.

DIR is the folder of `../shared/data/external` (its README describes the files). Nothing here is part of
CI or of the product; the data are read where they lie and never copied into the repository.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from assistant.evaluation.mentions import values_in

FACQA_FILE = "facqa_id_valid.jsonl"
IDK_MRC_FILE = "idk_mrc_valid.jsonl"
NUMBER_TOLERANCE = {"type": "relative", "value": 0.005}

_SPACE_BEFORE = re.compile(r" ([.,;:!?)\]%])")
_SPACE_AFTER = re.compile(r"([(\[]) ")
_SPLIT_NUMBER = re.compile(r"(?<=\d) ?([.,]) ?(?=\d)")


class ExternalDataMissing(FileNotFoundError):
    """The external folder or one of its files is not there."""


def detokenize(text: str) -> str:
    """FacQA's passages are tokens joined by spaces ("4,5 juta ton .", "1 . 000"): join them back."""
    text = _SPLIT_NUMBER.sub(r"\1", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_AFTER.sub(r"\1", text)


@dataclass
class ExternalSet:
    """One external set: its questions as eval items, and the passages that make its library."""

    name: str
    items: list[dict[str, Any]]
    passages: dict[str, str]  # file name → text

    def write_corpus(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.passages.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder


def _records(directory: Path, file_name: str) -> list[dict[str, Any]]:
    path = directory / file_name
    if not path.is_file():
        raise ExternalDataMissing(f"{path} not found: give --external the folder of the external QA data "
                                  f"(../shared/data/external, whose README lists {file_name})")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _library(records: list[dict[str, Any]], prefix: str, clean: Callable[[str], str]) -> tuple[dict[str, str],
                                                                                             dict[str, str]]:
    """Distinct passages as files; passage text → file name."""
    names: dict[str, str] = {}
    for record in records:
        names.setdefault(record["passage"], f"{prefix}-{len(names) + 1:04d}.txt")
    return {name: clean(passage) + "\n" for passage, name in names.items()}, names


def _evidence(passage: str, answer: str) -> str:
    """The sentence of the passage that holds the answer (for retrieval recall)."""
    at = passage.find(answer)
    if at < 0:
        return answer
    start = max(passage.rfind(". ", 0, at) + 2, 0) if passage.rfind(". ", 0, at) >= 0 else 0
    end = passage.find(". ", at + len(answer))
    return passage[start:end + 1 if end >= 0 else len(passage)].strip()


def _held_apart(records: list[dict[str, Any]], held_out: str | None) -> list[dict[str, Any]]:
    """Records whose passage does not also occur in the `held_out` split ("facqa/valid"): training questions
    must not share a passage with the questions that measure the product."""
    if held_out is None:
        return records
    return [r for r in records if f"{held_out}:passage" not in (r.get("overlap") or [])]


def facqa_numeric(directory: Path, file_name: str = FACQA_FILE, held_out: str | None = None) -> ExternalSet:
    """FacQA valid questions whose answer is a quantity; every FacQA valid passage is in the library. With
    another `file_name` (the train split), only the quantity questions' passages, none shared with `held_out`."""
    records = _held_apart(_records(directory, file_name), held_out)
    if file_name != FACQA_FILE:
        records = [r for r in records if r.get("numeric_kind") == "quantity"]
    passages, names = _library(records, "facqa", detokenize)
    items = []
    for record in records:
        if record.get("numeric_kind") != "quantity":
            continue
        answer = detokenize(record["answer_text"])
        items.append({"id": record["id"], "question": detokenize(record["question"]), "lang": "id",
                      "category": "lookup", "answerable": True, "source": names[record["passage"]],
                      "expected": {"value": None, "readings": sorted(float(v) for v in values_in(answer)),
                                   "text": answer},
                      "tolerance": NUMBER_TOLERANCE, "evidence": _evidence(detokenize(record["passage"]), answer)})
    name = "facqa_valid_numeric" if file_name == FACQA_FILE else Path(file_name).stem + "_numeric"
    return ExternalSet(name, [i for i in items if i["expected"]["readings"]], passages)


def idk_mrc(directory: Path, file_name: str = IDK_MRC_FILE, held_out: str | None = None,
            limit: int | None = None) -> ExternalSet:
    """IDK-MRC valid: answerable questions must be answered with their answer, unanswerable ones refused. With
    another `file_name` (the train split): its records whose passage is not in `held_out`, the first `limit`."""
    records = _held_apart(_records(directory, file_name), held_out)[:limit]
    passages, names = _library(records, "idkmrc", lambda text: text)
    items = []
    for record in records:
        item = {"id": record["id"], "question": record["question"], "lang": "id",
                "source": names[record["passage"]], "answerable": bool(record["answerable"])}
        if record["answerable"]:
            item.update(category="non_numeric", expected={"text": record["answer_text"]},
                        evidence=_evidence(record["passage"], record["answer_text"]))
        else:
            item.update(category="unanswerable", expected=None)
        items.append(item)
    return ExternalSet("idk_mrc_valid" if file_name == IDK_MRC_FILE else Path(file_name).stem, items, passages)


def resolve_expected(item: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """A FacQA answer as written ("4,5 juta ton") has a reading per number convention: score against the one
    nearest to what the engine said (either reading is a faithful value of the text)."""
    expected = item.get("expected") or {}
    readings = expected.get("readings")
    if not readings:
        return item
    got = answer.get("value")
    value = min(readings, key=lambda r: abs(r - got)) if isinstance(got, (int, float)) else readings[0]
    return {**item, "expected": {"value": value, "unit": None}}


EXTERNAL_SETS: dict[str, Callable[[Path], ExternalSet]] = {"facqa": facqa_numeric, "idk_mrc": idk_mrc}
