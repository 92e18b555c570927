# Two commands matter: `make run` (install, then open the tutor on the bundled notes)
# and `make test` (install, then run every test; CI runs exactly this).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint fmt bench bench-scale chromium

$(BIN)/tutor: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# The CPU build of torch first: an unpinned torch pulls gigabytes of CUDA packages.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/python -c 'import torch; assert torch.version.cuda is None, "a CUDA build of torch was installed"'
	touch $@

install: $(BIN)/tutor

# A notes file ingest has to skip (exit 2) must not stop the app: it lists the file and why.
run: install
	-$(BIN)/tutor ingest
	$(BIN)/streamlit run app.py

# Debian's Chromium for the real-browser test (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: install chromium
	$(BIN)/python -c 'import torch; assert torch.version.cuda is None, torch.version.cuda; print("torch", torch.__version__, "CPU only")'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python benchmarks/bench_ask.py

# Scaling: 1x..1000x the notes, embedded store and a Chroma server; tables and plots
# in benchmarks/results/ (under 10 minutes on 2 cores).
bench-scale: install
	$(BIN)/python benchmarks/bench_scale.py
