"""Evaluation harness: runs question sets against their corpora and scores the Answers.

`run_eval(argv)` is the `assistant eval` entry point; `evaluate_set` and `score_item` are the
pieces it is built from (usable with any object that has `.ask(question) -> Answer`).
"""

from assistant.evaluation.cli import run_eval
from assistant.evaluation.harness import evaluate_set, load_items
from assistant.evaluation.scoring import ItemResult, score_item, summarise

__all__ = ["run_eval", "evaluate_set", "load_items", "score_item", "summarise", "ItemResult"]
