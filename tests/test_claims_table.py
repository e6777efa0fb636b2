"""The claims table: filters, rows, CSV; the `assistant figures` command; the Figures tab."""

import csv
import io
import json

import gradio as gr
import pytest

from assistant.claims import extract_claims
from assistant.claims_table import COLUMNS, display_rows, filter_claims, to_csv
from assistant.cli import main
from assistant.evidence import DocumentView
from assistant.ui_figures import ALL, FiguresHandlers, add_figures_tab

TEXT_ID = ("Nilai ekspor nonmigas sebesar US$20,72 miliar pada November 2023, naik 3,5 persen (yoy). "
           "Pemerintah menargetkan ekspor US$300 miliar pada 2024.")
TEXT_EN = "Core inflation eased to 1.87% year on year in November 2023."


def view(source, text, language):
    return DocumentView(source, text, {"language": language, "title": "Briefing", "date": "2023-12-01"},
                        [(0, len(text))])


@pytest.fixture
def library():
    return extract_claims(view("corpus/dagang.md", TEXT_ID, "id")) + extract_claims(view("corpus/cpi.md", TEXT_EN, "en"))


def test_filters_by_source_series_period_and_kind(library):
    assert {c.source for c in filter_claims(library, source="CPI")} == {"corpus/cpi.md"}
    assert [c.text for c in filter_claims(library, series="ekspor nonmigas")] == ["US$20,72 miliar", "3,5 persen"]
    assert [c.text for c in filter_claims(library, period="2024")] == ["US$300 miliar"]
    assert [c.text for c in filter_claims(library, kind="growth_rate")] == ["3,5 persen"]
    assert filter_claims(library, series="core", period="2023-11")[0].text == "1.87%"
    assert filter_claims(library, series="rice") == []


def test_csv_has_every_column_and_one_row_per_claim(library):
    rows = list(csv.DictReader(io.StringIO(to_csv(library))))
    assert len(rows) == len(library) and set(COLUMNS) <= set(rows[0])
    assert rows[0]["text"] == "US$20,72 miliar" and rows[0]["unit"] == "USD" and rows[0]["period"] == "2023-11"
    assert len(display_rows(library)[0]) == 9


class EngineWithClaims:
    def __init__(self, claims):
        self._claims = claims
        self.asked = 0

    def claims(self):
        return self._claims


def test_figures_tab_builds_and_filters(library):
    engine = EngineWithClaims(library)
    with gr.Blocks() as demo:
        table = add_figures_tab(engine)
    assert isinstance(table, gr.Dataframe)
    panels = [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "figures-panel"]
    assert len(panels) == 1 and isinstance(panels[0], gr.Accordion) and panels[0].open is False
    handlers = FiguresHandlers(engine)
    assert [r[4] for r in handlers.rows("inflation", ALL, ALL)] == ["1.87%"]
    assert [r[4] for r in handlers.rows("", "target", "corpus/dagang.md")] == ["US$300 miliar"]
    assert handlers.documents() == [ALL, "corpus/cpi.md", "corpus/dagang.md"]


def test_figures_tab_with_an_engine_without_claims_is_empty():
    assert FiguresHandlers(object()).rows() == [] and FiguresHandlers(object()).documents() == [ALL]


def test_cli_figures_json_csv_and_filters(env, capsys):
    assert main(["figures", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(COLUMNS) <= set(rows[0])
    text = (env.corpus / rows[0]["source"].split("/")[-1]).read_text()
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert main(["figures", "--json", "--kind", "target"]) == 0
    targets = json.loads(capsys.readouterr().out)
    assert targets and all(r["kind"] == "target" for r in targets) and len(targets) < len(rows)
    assert main(["figures", "--csv", "--period", "2023-06"]) == 0
    csv_rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert csv_rows and all(r["period"].startswith("2023-06") for r in csv_rows)
    assert main(["figures", "--series", "UMKM"]) == 0
    assert "figure(s)" in capsys.readouterr().out


def test_cli_figures_rejects_an_unknown_kind(env, capsys):
    assert main(["figures", "--kind", "banana"]) == 2
    assert "unknown kind 'banana'" in capsys.readouterr().err
