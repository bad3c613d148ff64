# zhengwen: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install test eval lint typecheck demo bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,scale]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

test: install
	$(PY) -m pytest -q

eval: install
	$(PY) -m bench.eval
	$(PY) -m bench.template_eval
	$(PY) -m bench.metadata_eval

lint: install
	$(VENV)/bin/ruff check cleaners scraper bench tests

typecheck: install
	$(VENV)/bin/mypy

demo: install
	$(VENV)/bin/zhengwen demo --db data/demo.sqlite

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,scale,bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) data results .pytest_cache
