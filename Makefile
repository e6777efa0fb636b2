# Briefing Assistant. `make run` serves the chat UI; `make test` runs every test and the eval.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CORPUS ?= corpus

.PHONY: install ingest run test browser bench clean

install: $(STAMP)

# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || { echo "==> creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> installing torch 2.13.0 (CPU build)"
	$(PY) -m pip install --progress-bar on 'torch==2.13.0'
	@echo "==> installing the assistant and its test tools"
	$(PY) -m pip install --progress-bar on -c constraints.txt -e '.[test]'
	@touch $(STAMP)
	@echo "==> installed; next: make run"

ingest: install
	$(PY) -m assistant --corpus $(CORPUS) ingest

run: ingest
	$(PY) app.py

# Debian's Chromium for the browser tests (apt-get when root, else the command to run).
browser:
	@.ci/ensure-chromium

test: install browser
	$(VENV)/bin/pytest
	$(PY) -m assistant eval

# Timed rebuild of the index into a scratch store, then every script in benchmarks/ (each prints a table).
bench: install
	rm -rf .assistant/bench-store
	time $(PY) -m assistant --corpus $(CORPUS) --store .assistant/bench-store ingest --json
	for script in benchmarks/*.py; do [ -e "$$script" ] || continue; $(PY) "$$script" || exit 1; done

clean:
	rm -rf .assistant .pytest_cache .hypothesis test-output evals/reports
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
