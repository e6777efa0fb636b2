"""Measure claim extraction against hand-checked annotations (evals/claims/annotations.jsonl).

    python scripts/measure_claims.py [BRIEFINGS_DIR] [--annotations FILE ...] [--draft OUT] [--split S]

Annotations are read from evals/claims/annotations.jsonl (train, dev) and annotations_test.jsonl (test)
unless `--annotations` is given (repeatable). BRIEFINGS_DIR defaults to evals/bank/briefings when present,
else /work/shared/data/bank/briefings.
Reports, per split, over the annotations marked `checked`: series (every content word of the gold phrase
in the extracted one; "tight" also allows at most two extra content words), entity, period, kind.
`--draft OUT` writes the extractor's output in the annotation format (the first draft an annotator corrects),
for every split or only `--split S`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.claims import extract_claims  # noqa: E402
from assistant.evaluation.harness import load_split  # noqa: E402
from assistant.evidence import DocumentView  # noqa: E402
from assistant.load import load_document  # noqa: E402

SPLIT_OF = load_split(ROOT / "evals" / "bank" / "split.toml")  # briefing file name → train / dev / test
SPLITS = tuple(dict.fromkeys(SPLIT_OF.values()))
STOPWORDS = frozenset("""yang di ke dari pada dan atau untuk dengan the of in to and or for a an on by its their
nilai sebesar at""".split())


DEFAULT_ANNOTATIONS = (ROOT / "evals" / "claims" / "annotations.jsonl",
                       ROOT / "evals" / "claims" / "annotations_test.jsonl")


def default_briefings() -> Path:
    local = ROOT / "evals" / "bank" / "briefings"
    return local if local.is_dir() else Path("/work/shared/data/bank/briefings")


def claims_of(path: Path):
    doc = load_document(path)
    view = DocumentView(doc.source, doc.text, doc.metadata, [(doc.body_start, len(doc.text))])
    return doc, extract_claims(view)


def content_words(phrase: str | None) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", (phrase or "").lower()) if w not in STOPWORDS}


def series_match(gold: str, predicted: str) -> tuple[bool, bool]:
    wanted, got = content_words(gold), content_words(predicted)
    covered = wanted <= got and bool(wanted)
    return covered, covered and len(got - wanted) <= 2


def same_entity(gold: str | None, predicted: str | None) -> bool:
    if not gold or not predicted:
        return not gold and not predicted
    return content_words(gold) == content_words(predicted)


_SAME_STRETCH = {("01", "03"): "Q1", ("04", "06"): "Q2", ("07", "09"): "Q3", ("10", "12"): "Q4", ("01", "06"): "H1",
                 ("07", "12"): "H2"}


def same_period(gold: str | None, predicted: str | None) -> bool:
    """Labels compared as written, except that a span of whole months equals its quarter, half or year
    ('2024-01..2024-06' is '2024-H1')."""
    return _normal(gold) == _normal(predicted)


def _normal(label: str | None) -> str | None:
    match = re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})", label or "")
    if match and match.group(1) == match.group(3):
        year, first, last = match.group(1), match.group(2), match.group(4)
        if (first, last) == ("01", "12"):
            return year
        if (first, last) in _SAME_STRETCH:
            return f"{year}-{_SAME_STRETCH[(first, last)]}"
    return label or None


def measure(briefings: Path, annotations: list[dict], only_split: str | None, errors: str | None = None) -> dict:
    by_briefing: dict[str, list[dict]] = defaultdict(list)
    for item in annotations:
        if item.get("checked") and (only_split is None or item["split"] == only_split):
            by_briefing[item["briefing"]].append(item)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for briefing, items in sorted(by_briefing.items()):
        _, found = claims_of(briefings / briefing)
        index = {(c.start, c.end): c for c in found}
        for item in items:
            score = totals[item["split"]]
            score["figures"] += 1
            claim = index.get((item["start"], item["end"]))
            if claim is None:
                score["missing"] += 1
                continue
            covered, tight = series_match(item["series"], claim.series)
            if errors:
                wrong = {"series": not covered, "entity": not same_entity(item["entity"], claim.entity),
                         "period": not same_period(item["period"], claim.period_label),
                         "kind": item["kind"] != claim.kind}
                for field in [f for f, bad in wrong.items() if bad and errors in (f, "all")]:
                    got = {"series": claim.series, "entity": claim.entity, "period": claim.period_label,
                           "kind": claim.kind}[field]
                    print(f"{briefing[:28]} {item['text']!r} {field}: gold {item[field]!r} got {got!r}"
                          f" | {item['sentence'][:150]}")
            score["series"] += covered
            score["series_tight"] += tight
            score["entity"] += same_entity(item["entity"], claim.entity)
            score["period"] += same_period(item["period"], claim.period_label)
            score["kind"] += item["kind"] == claim.kind
    return totals


def draft(briefings: Path, out: Path, only_split: str | None = None) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for briefing, split in SPLIT_OF.items():
            if only_split is not None and split != only_split:
                continue
            _, found = claims_of(briefings / briefing)
            for claim in found:
                handle.write(json.dumps({"briefing": briefing, "split": split, "start": claim.start, "end": claim.end,
                                         "text": claim.text, "series": claim.series, "entity": claim.entity,
                                         "period": claim.period_label, "kind": claim.kind,
                                         "qualifiers": list(claim.qualifiers), "checked": False,
                                         "sentence": claim.quote}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("briefings", nargs="?", type=Path, default=default_briefings())
    parser.add_argument("--annotations", type=Path, action="append",
                        help="annotation file (repeatable); default: annotations.jsonl and annotations_test.jsonl")
    parser.add_argument("--draft", type=Path, help="write the extractor's draft annotations here and stop")
    parser.add_argument("--split", choices=sorted(SPLITS), help="only this split")
    parser.add_argument("--errors", choices=["series", "entity", "period", "kind", "all"],
                        help="also print each mismatch of this field")
    args = parser.parse_args(argv)
    if not args.briefings.is_dir():
        parser.error(f"briefings folder {args.briefings} does not exist")
    if args.draft:
        draft(args.briefings, args.draft, args.split)
        return 0
    files = args.annotations or [path for path in DEFAULT_ANNOTATIONS if path.is_file()]
    annotations = [json.loads(line) for path in files
                   for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    totals = measure(args.briefings, annotations, args.split, args.errors)
    print("| split | figures | series (covered) | series (tight) | entity | period | kind | not extracted |")
    print("|---|---|---|---|---|---|---|---|")
    for split in ("train", "dev", "test"):
        score = totals.get(split)
        if not score:
            continue
        n = score["figures"]
        cells = [f"{score[key] / n:.1%}" for key in ("series", "series_tight", "entity", "period", "kind")]
        print(f"| {split} | {n} | " + " | ".join(cells) + f" | {score['missing']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
