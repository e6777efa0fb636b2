"""The claims table: every claim of the library as rows, filterable (CLI `assistant figures`, Figures tab)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from assistant.claims import Claim

COLUMNS = ("series", "entity", "period", "kind", "value", "unit", "text", "source", "quote")


def matches(claim: Claim, source: str | None = None, series: str | None = None, period: str | None = None,
            kind: str | None = None) -> bool:
    """`source`: part of the document path; `series`: every word in the series, entity, qualifiers or quote;
    `period`: the label or its start ('2023' matches '2023-10' and '2023-Q1'); `kind`: exactly."""
    if source and source.lower() not in claim.source.lower():
        return False
    if kind and kind != claim.kind:
        return False
    if period and not (claim.period_label or "").lower().startswith(period.lower()):
        return False
    if series:
        haystack = " ".join([claim.series, claim.entity or "", " ".join(claim.qualifiers), claim.quote]).lower()
        if not all(word in haystack for word in re.findall(r"\w+", series.lower())):
            return False
    return True


def filter_claims(claims: Iterable[Claim], **filters: str | None) -> list[Claim]:
    return [claim for claim in claims if matches(claim, **filters)]


def row(claim: Claim) -> dict:
    data = claim.to_dict()
    return {column: data[column] for column in COLUMNS} | {"qualifiers": data["qualifiers"],
                                                           "period_reason": data["period_reason"],
                                                           "start": data["start"], "end": data["end"]}


def display_rows(claims: Iterable[Claim]) -> list[list[str]]:
    """Rows of strings for a table on screen (value as written in the document)."""
    return [[c.series, c.entity or "", c.period_label or "", c.kind, c.text, c.unit or "",
             ", ".join(c.qualifiers), c.source, c.quote] for c in claims]


DISPLAY_COLUMNS = ["series", "entity", "period", "kind", "figure", "unit", "qualifiers", "document", "quote"]


def to_csv(claims: Iterable[Claim]) -> str:
    buffer = io.StringIO()
    fields = list(COLUMNS) + ["qualifiers", "period_reason", "start", "end"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for claim in claims:
        record = row(claim)
        record["qualifiers"] = " ".join(record["qualifiers"])
        writer.writerow(record)
    return buffer.getvalue()
