"""Run every benchmark in turn (`make bench`); each prints its own rich tables.

    .venv/bin/python benchmarks/run_all.py [--quick]    # --quick: 10,000 synthetic chunks, not 100,000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller synthetic store")
    args = parser.parse_args()
    runs = [
        [sys.executable, str(HERE / "bench_ingest.py")],
        [sys.executable, str(HERE / "bench_retrieval.py"), "--scale", "10000" if args.quick else "100000"],
        [sys.executable, str(HERE / "bench_ask.py")],
        [sys.executable, str(HERE / "bench_first_question.py"), "--chunks", "10000" if args.quick else "100000"],
        [sys.executable, str(HERE / "bench_abuse.py")],
    ]
    failed = 0
    for command in runs:
        started = time.perf_counter()
        print(f"$ {' '.join(Path(part).name if part.endswith('.py') else part for part in command[1:])}", flush=True)
        result = subprocess.run(command, cwd=HERE.parent)
        print(f"  ({time.perf_counter() - started:.0f} s, exit {result.returncode})\n", flush=True)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
