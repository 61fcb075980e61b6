# waitlab: the two commands are `make demo` and `make test`; both build .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out

.PHONY: demo test test-fast bench dashboard lint clean browser

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m waitlab.demo --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python benchmarks/run_all.py

dashboard: $(STAMP)
	$(BIN)/streamlit run dashboards/app.py --server.address 127.0.0.1 --server.maxUploadSize 200 --browser.gatherUsageStats false

lint: $(STAMP)
	$(BIN)/ruff check waitlab tests dashboards benchmarks
	$(BIN)/mypy waitlab

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
