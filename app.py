"""Chat UI entry point: `python app.py` serves the Briefing Assistant on http://127.0.0.1:7860."""

import assistant  # noqa: F401  (sets the offline / no-analytics environment first)
from assistant.config import Settings
from assistant.ui import serve

if __name__ == "__main__":
    serve(Settings())
