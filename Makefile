# waitlab: the two commands are `make demo` and `make test`; both build .venv themselves.
# Each target installs what it uses: the demo the package alone, the tests the dev tools and
# the extras (`dashboard`: streamlit; `cluster`: dask.distributed; `forecast`: statsmodels, holidays), the dashboard its extra.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test test-fast bench dashboard lint clean browser

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# one stamp per set of extras, redone when pyproject.toml changes
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,dashboard,cluster,forecast]"
	$(BIN)/python -c "import waitlab.sim as s; print(f'fast engine compiled in {s.warm_up():.0f} s (once; numba caches it)')"
	touch $@

$(VENV)/.installed-dashboard: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dashboard]"
	$(BIN)/python -c "import waitlab.sim as s; print(f'fast engine compiled in {s.warm_up():.0f} s (once; numba caches it)')"
	touch $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/python -m waitlab.demo --out $(OUT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py

dashboard: $(VENV)/.installed-dashboard
	$(BIN)/streamlit run dashboards/app.py --server.address 127.0.0.1 --server.maxUploadSize 200 --browser.gatherUsageStats false

lint: $(VENV)/.installed-test
	$(BIN)/ruff check waitlab tests dashboards benchmarks
	$(BIN)/mypy waitlab

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
