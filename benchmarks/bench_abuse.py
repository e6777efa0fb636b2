"""What one hostile request costs, alone and for the other users (issue 10, item 3).

    .venv/bin/python benchmarks/bench_abuse.py [--rounds 5]

Over the sample corpus (copied and ingested into a temp store, real embedder):

1. Alone: a short question; the same with a history turn of 100,000 characters; with 1,000 turns; with a
   2,000-character question (the longest accepted). Medians of `rounds`.
2. Shared: the chat UI's handlers (one engine, one lock, as `assistant serve` runs them). A short question is
   asked while another user's request with the 100,000-character history turn is running; the short
   question's wall time is what that user waits.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHORT = "Berapa UMKM yang sudah go digital per Juni 2023?"
FOLLOW_UP = "Dan per Maret 2023?"


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import assistant  # noqa: F401
    from assistant import Assistant
    from assistant.config import Settings
    from assistant.ui import ChatHandlers

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "corpus", Path(tmp) / "corpus")
        engine = Assistant(settings=Settings(corpus=Path(tmp) / "corpus", store=Path(tmp) / "store"))
        engine.ask(SHORT)  # load and warm up
        words = (SHORT + " Target 30 juta UMKM pada Desember 2024, naik 3,5 persen dari Rp4.500 triliun. ") * 1000
        huge_turn = [{"role": "user", "content": words[:100_000]}, {"role": "assistant", "content": "…"}]
        many_turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": SHORT} for i in range(1000)]
        cases = [
            ("short question", lambda: engine.ask(SHORT)),
            ("follow-up, one 100,000-char history turn", lambda: engine.ask(FOLLOW_UP, huge_turn)),
            ("follow-up, 1,000 history turns", lambda: engine.ask(FOLLOW_UP, many_turns)),
            ("2,000-char question", lambda: engine.ask((SHORT + " ") * 40 if len((SHORT + " ") * 40) <= 2000
                                                      else ((SHORT + " ") * 40)[:2000])),
        ]
        alone = Table(title="one request alone (ms, median)")
        alone.add_column("request")
        alone.add_column("ms", justify="right")
        for name, call in cases:
            alone.add_row(name, f"{statistics.median(timed(call) for _ in range(args.rounds)):.1f}")

        handlers = ChatHandlers(engine)
        waits = []
        for _ in range(args.rounds):
            slow = threading.Thread(target=lambda: handlers._ask(FOLLOW_UP, huge_turn))
            slow.start()
            time.sleep(0.005)
            waits.append(timed(lambda: handlers.ask_api(SHORT)))
            slow.join()
        shared = Table(title="another user's short question while a 100,000-char-history request runs (ms)")
        for column in ("median", "max"):
            shared.add_column(column, justify="right")
        shared.add_row(f"{statistics.median(waits):.1f}", f"{max(waits):.1f}")
    console = Console()
    console.print(alone)
    console.print(shared)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
