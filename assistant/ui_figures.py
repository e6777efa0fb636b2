"""The Figures panel: every figure of the library as a claim (series, entity, period, kind), filterable.

A closed accordion rather than a tab: Gradio renders a closed accordion's children only when it opens, so
the chat keeps the page's only `textbox` test id until the user opens the table (a lone tab is open, and
would add a second one). The table is filled when the panel opens.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.claims import KINDS
from assistant.claims_table import DISPLAY_COLUMNS, display_rows, filter_claims

ALL = "all"


class FiguresHandlers:
    """Filters over `assistant.claims()`; an engine without claims shows an empty table."""

    def __init__(self, assistant: Any):
        self.assistant = assistant

    def claims(self) -> list:
        method = getattr(self.assistant, "claims", None)
        return list(method()) if callable(method) else []

    def rows(self, search: str = "", kind: str = ALL, document: str = ALL) -> list[list[str]]:
        claims = filter_claims(self.claims(), series=(search or "").strip() or None,
                               kind=None if kind in (None, "", ALL) else kind,
                               source=None if document in (None, "", ALL) else document)
        return display_rows(claims)

    def documents(self) -> list[str]:
        return [ALL] + sorted({claim.source for claim in self.claims()})

    def load(self) -> tuple[list[list[str]], Any]:
        return self.rows(), gr.update(choices=self.documents(), value=ALL)


def add_figures_tab(assistant: Any) -> gr.Dataframe:
    """Add the Figures panel to the Blocks being built (call inside its `with`); returns its table."""
    handlers = FiguresHandlers(assistant)
    with gr.Accordion("Figures", open=False, elem_id="figures-panel") as panel:
        gr.Markdown("Every number in the briefings, with what it measures, for whom, for when and which kind.")
        with gr.Row():
            search = gr.Textbox(label="Search", placeholder="series, place, company… (e.g. ekspor nonmigas)",
                                elem_id="figures-search", scale=3)
            kind = gr.Dropdown(choices=[ALL, *KINDS], value=ALL, label="Kind", elem_id="figures-kind", scale=1)
            document = gr.Dropdown(choices=[ALL], value=ALL, label="Document", elem_id="figures-document",
                                   scale=2, allow_custom_value=True)
        table = gr.Dataframe(value=[], headers=DISPLAY_COLUMNS, datatype=["str"] * len(DISPLAY_COLUMNS),
                             interactive=False, wrap=True, elem_id="figures")
    filters = [search, kind, document]
    for control in filters:
        control.change(handlers.rows, filters, table, api_visibility="private")
    panel.expand(handlers.load, None, [table, document], api_visibility="private")
    return table
