"""Reports of an evaluation run: report.json, report.md, report.png and a rich table on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

SUMMARY_METRICS = (
    ("correct", "correct"),
    ("refused", "refused"),
    ("wrong", "wrong"),
    ("wrong_rate", "wrong rate (wrong ÷ answered)"),
    ("coverage", "coverage (answered ÷ all)"),
    ("answerable_correct", "answerable answered correctly"),
    ("risk_coverage_area", "risk–coverage area"),
    ("numeric_accuracy", "numeric accuracy"),
    ("non_numeric_accuracy", "non-numeric accuracy"),
    ("refusal_of_unanswerable", "refusal of unanswerable"),
    ("answerable_not_refused", "answerable not refused"),
    ("citation_precision", "citation precision"),
    ("ungrounded", "ungrounded answers"),
    ("retrieval_recall", "retrieval recall"),
    ("errors", "errors"),
    ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def fmt_value(value: Any) -> str:
    """A figure exactly as the engine gave it (no rounding: 121.25 must not print as 121.2)."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
    return lines + [""]


def _set_items(payload: dict[str, Any], name: str) -> list[dict[str, Any]]:
    base, _, split = name.partition("/")
    return [item for item in payload["items"] if item["set"] == base and (not split or item.get("split") == split)]


def _has_splits(payload: dict[str, Any], name: str) -> bool:
    return "/" not in name and any(other.startswith(name + "/") for other in payload["sets"])


def write_markdown(path: Path, payload: dict[str, Any]) -> None:
    """Per set: outcomes, metrics against thresholds, tables by category and language, risk–coverage,
    and every failure with its reason (under its split when the set has splits)."""
    lines = [f"# Evaluation report ({payload['generated']})", "",
             f"Wall time of the run: {payload.get('wall_seconds', 0):.1f} s.", ""]
    rows = [[name, str(info["summary"]["items"]), str(info["summary"]["correct"]), str(info["summary"]["refused"]),
             str(info["summary"]["wrong"]), fmt(info["summary"]["wrong_rate"]), fmt(info["summary"]["coverage"]),
             fmt(info["summary"]["answerable_correct"]), fmt(info["summary"]["refusal_of_unanswerable"])]
            for name, info in payload["sets"].items()]
    lines += _md_table(["set", "items", "correct", "refused", "wrong", "wrong ÷ answered", "coverage",
                        "answerable correct", "unanswerable refused"], rows)
    for name, info in payload["sets"].items():
        summary = info["summary"]
        lines += [f"## {name}", "", f"Questions `{info['questions']}` against corpus `{info['corpus']}` "
                  f"({info.get('seconds', 0):.1f} s with ingest): {summary['correct']} correct, {summary['refused']} "
                  f"refused, {summary['wrong']} wrong of {summary['items']}.", ""]
        rows = [[label, fmt(summary.get(key)), fmt(info["thresholds"].get(key))] for key, label in SUMMARY_METRICS]
        lines += _md_table(["metric", "value", "threshold"], rows)
        for title, groups in (("category", summary["by_category"]), ("language", summary["by_lang"])):
            rows = [[group, str(g["items"]), str(g["correct"]), str(g["refused"]), str(g["wrong"]),
                     fmt(g["wrong_rate"]), fmt(g["numeric_accuracy"])] for group, g in groups.items()]
            lines += _md_table([title, "items", "correct", "refused", "wrong", "wrong ÷ answered",
                                "numeric accuracy"], rows)
        curve = summary.get("risk_coverage")
        if curve:
            picked = _curve_rows(curve)
            lines += ["Risk–coverage (answer only when confidence ≥ threshold):", ""]
            lines += _md_table(["confidence ≥", "coverage", "wrong ÷ answered", "correct", "wrong"],
                               [[f"{p['threshold']:.3f}", fmt(p["coverage"]), fmt(p["wrong_rate"]), str(p["correct"]),
                                 str(p["wrong"])] for p in picked])
        if info["missed"]:
            lines += ["**Thresholds missed:**", ""] + [f"- {miss}" for miss in info["missed"]] + [""]
        if _has_splits(payload, name):
            continue  # its failures are listed under each split
        failures = [item for item in _set_items(payload, name) if not item["pass"]]
        lines += [f"### Failures ({len(failures)})", ""]
        rows = [[item["id"], item.get("outcome", ""), item["category"], item["lang"], item["question"],
                 json.dumps(item["expected"], ensure_ascii=False) if item["expected"] else "refuse",
                 fmt_value(item["got"].get("value")) if item["got"].get("answerable") else "refused",
                 fmt(item.get("confidence")), item["reason"]]
                for item in failures]
        lines += _md_table(["id", "outcome", "category", "lang", "question", "expected", "got", "confidence",
                            "reason"], rows) if rows else ["None.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _curve_rows(curve: list[dict[str, float]], steps: int = 10) -> list[dict[str, float]]:
    """About `steps` evenly spaced points of a risk–coverage curve, the last one always included."""
    if len(curve) <= steps:
        return curve
    every = len(curve) / steps
    picked = [curve[int(i * every)] for i in range(1, steps)] + [curve[-1]]
    return list({id(p): p for p in picked}.values())


def write_png(path: Path, payload: dict[str, Any]) -> None:
    """Outcomes per set (correct / refused / wrong), risk–coverage curves, and a latency histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (bars, curves, histogram) = plt.subplots(1, 3, figsize=(16, 4.8))
    names = list(payload["sets"])
    bottoms = [0.0] * len(names)
    for outcome, colour in (("correct", "tab:green"), ("refused", "tab:gray"), ("wrong", "tab:red")):
        shares = [payload["sets"][n]["summary"][outcome] / max(payload["sets"][n]["summary"]["items"], 1)
                  for n in names]
        bars.barh(names, shares, left=bottoms, color=colour, label=outcome)
        bottoms = [b + v for b, v in zip(bottoms, shares)]
    bars.set_xlim(0, 1)
    bars.invert_yaxis()
    bars.set_xlabel("share of questions")
    bars.set_title("Outcomes")
    bars.legend(fontsize=8, loc="lower right")
    drawn = False
    for name in names:
        curve = payload["sets"][name]["summary"].get("risk_coverage")
        if curve:
            curves.plot([p["coverage"] for p in curve], [p["wrong_rate"] for p in curve], label=name)
            drawn = True
    curves.axhline(0.02, color="tab:red", linestyle=":", linewidth=1)
    curves.set_xlabel("coverage (answered ÷ all)")
    curves.set_ylabel("wrong ÷ answered")
    curves.set_title("Risk–coverage" if drawn else "Risk–coverage (no confidence in answers)")
    curves.set_xlim(0, 1)
    curves.set_ylim(0, 1)
    if drawn:
        curves.legend(fontsize=7)
    latencies = [item["latency_ms"] for item in payload["items"]]
    histogram.hist(latencies or [0], bins=30)
    histogram.set_xlabel("latency per question (ms)")
    histogram.set_ylabel("questions")
    histogram.set_title("Latency")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write_reports(folder: Path, payload: dict[str, Any]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"json": folder / "report.json", "md": folder / "report.md", "png": folder / "report.png"}
    write_json(paths["json"], payload)
    write_markdown(paths["md"], payload)
    write_png(paths["png"], payload)
    return paths


TABLE_COLUMNS = (
    ("items", "items"), ("correct", "correct"), ("refused", "refused"), ("wrong", "wrong"),
    ("wrong_rate", "wrong÷ans"), ("coverage", "coverage"), ("answerable_correct", "ans. correct"),
    ("refusal_of_unanswerable", "unans. refused"), ("ungrounded", "ungrounded"),
    ("risk_coverage_area", "RC area"), ("latency_p50_ms", "p50 ms"),
)


def print_summary(payload: dict[str, Any], console: Console | None = None) -> None:
    """One row per set (and split): outcomes and the headline rates; a missed threshold in red."""
    console = console or Console()
    table = Table(title=f"Evaluation ({payload.get('wall_seconds', 0):.0f} s)")
    table.add_column("set")
    for _, label in TABLE_COLUMNS:
        table.add_column(label, justify="right")
    for name, info in payload["sets"].items():
        row = [name]
        for key, _ in TABLE_COLUMNS:
            missed = any(miss.startswith(f"{key} ") for miss in info["missed"])
            value = fmt(info["summary"].get(key))
            bound = info["thresholds"].get(key)
            cell = f"{value} [dim]({fmt(bound)})[/dim]" if bound is not None else value
            row.append(f"[red]{cell}[/red]" if missed else cell)
        table.add_row(*row)
    console.print(table)
    for name, info in payload["sets"].items():
        for miss in info["missed"]:
            console.print(f"[red]threshold missed[/red] {name}: {miss}")


def print_comparison(changes: dict[str, list[dict[str, Any]]], metrics: list[dict[str, Any]] | None = None,
                     console: Console | None = None) -> None:
    console = console or Console()
    if metrics:
        deltas = Table(title="Metrics compared with the previous report")
        for column in ("set", "metric", "old", "new", "delta"):
            deltas.add_column(column, justify="right" if column in ("old", "new", "delta") else "left")
        for row in metrics:
            delta = row["delta"]
            worse = delta is not None and delta != 0 and ((delta > 0) == (row["metric"] in ("wrong", "wrong_rate",
                                                                                          "risk_coverage_area")))
            text = "–" if delta is None else f"{delta:+.3f}" if isinstance(delta, float) else f"{delta:+d}"
            deltas.add_row(row["set"], row["metric"], fmt(row["old"]), fmt(row["new"]),
                           f"[red]{text}[/red]" if worse else text)
        console.print(deltas)
    table = Table(title="Compared with the previous report")
    for column in ("change", "id", "old", "new", "reason now"):
        table.add_column(column)
    styles = {"fixed": "green", "broke": "red", "changed": "yellow"}
    for kind in ("fixed", "broke", "changed"):
        for row in changes[kind]:
            table.add_row(f"[{styles[kind]}]{kind}[/{styles[kind]}]", row["id"], fmt_value(row["old"]), fmt_value(row["new"]),
                          row["reason"] or "")
    console.print(table)
    console.print(" ".join(f"{kind}: {len(rows)}" for kind, rows in changes.items()))
