"""Reports of an evaluation run: report.json, report.md, report.png and a rich table on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

SUMMARY_METRICS = (
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


def write_markdown(path: Path, payload: dict[str, Any]) -> None:
    """Tables by category and language per set, the thresholds, and every failure with its reason."""
    lines = [f"# Evaluation report ({payload['generated']})", ""]
    for name, info in payload["sets"].items():
        summary = info["summary"]
        lines += [f"## {name}", "", f"Questions `{info['questions']}` against corpus `{info['corpus']}`: "
                  f"{summary['passed']}/{summary['items']} items pass.", ""]
        rows = [[label, fmt(summary.get(key)), fmt(info["thresholds"].get(key))] for key, label in SUMMARY_METRICS]
        lines += _md_table(["metric", "value", "threshold"], rows)
        for title, groups in (("category", summary["by_category"]), ("language", summary["by_lang"])):
            rows = [[group, str(g["items"]), str(g["passed"]), fmt(g["pass_rate"]), fmt(g["numeric_accuracy"])]
                    for group, g in groups.items()]
            lines += _md_table([title, "items", "passed", "pass rate", "numeric accuracy"], rows)
        if info["missed"]:
            lines += ["**Thresholds missed:**", ""] + [f"- {miss}" for miss in info["missed"]] + [""]
        failures = [item for item in payload["items"] if item["set"] == name and not item["pass"]]
        lines += [f"### Failures ({len(failures)})", ""]
        rows = [[item["id"], item["category"], item["lang"], item["question"],
                 json.dumps(item["expected"], ensure_ascii=False) if item["expected"] else "refuse",
                 fmt_value(item["got"].get("value")) if item["got"].get("answerable") else "refused", item["reason"]]
                for item in failures]
        lines += _md_table(["id", "category", "lang", "question", "expected", "got", "reason"], rows) if rows else ["None.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_png(path: Path, payload: dict[str, Any]) -> None:
    """Pass rate by category (one bar per set) and a latency histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (bars, histogram) = plt.subplots(1, 2, figsize=(12, 4.5))
    names = list(payload["sets"])
    categories = sorted({c for info in payload["sets"].values() for c in info["summary"]["by_category"]})
    width = 0.8 / max(len(names), 1)
    for index, name in enumerate(names):
        groups = payload["sets"][name]["summary"]["by_category"]
        heights = [(groups.get(c) or {}).get("pass_rate") or 0.0 for c in categories]
        positions = [x + index * width for x in range(len(categories))]
        bars.bar(positions, heights, width=width, label=name)
    bars.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(categories))], categories, rotation=20)
    bars.set_ylim(0, 1.05)
    bars.set_ylabel("pass rate")
    bars.set_title("Accuracy by category")
    bars.legend(fontsize=8)
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


def print_summary(payload: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Evaluation")
    table.add_column("metric")
    for name in payload["sets"]:
        table.add_column(name, justify="right")
        table.add_column("threshold", justify="right", style="dim")
    for key, label in (("items", "items"), ("passed", "passed")) + SUMMARY_METRICS:
        row = [label]
        for info in payload["sets"].values():
            missed = any(miss.startswith(f"{key} ") for miss in info["missed"])
            value = fmt(info["summary"].get(key))
            row += [f"[red]{value}[/red]" if missed else value, fmt(info["thresholds"].get(key))]
        table.add_row(*row)
    console.print(table)
    for name, info in payload["sets"].items():
        for miss in info["missed"]:
            console.print(f"[red]threshold missed[/red] {name}: {miss}")


def print_comparison(changes: dict[str, list[dict[str, Any]]], console: Console | None = None) -> None:
    console = console or Console()
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
