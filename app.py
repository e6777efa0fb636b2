"""Chat UI entry point: `python app.py` serves the Briefing Assistant on http://127.0.0.1:7860.

The same as `assistant serve`: settings from `ASSISTANT_*`, a bad setting is one line and exit 2.
"""

import assistant  # noqa: F401  (sets the offline / no-analytics environment first)
from assistant.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["serve"]))
