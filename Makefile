# zhengwen: `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install browser postgres test eval lint typecheck demo bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,scale,postgres]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# Debian's Chromium (and a CJK font for legible screenshots) for the browser tests;
# skipped when present. Without root or network the browser tests skip with a reason.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; } || \
		echo "make browser: could not install chromium; the browser tests will skip"

# Debian's PostgreSQL server binaries for the tests, which start a throwaway cluster of their
# own (tests/pgserver.py); skipped when present. Without them those tests skip, or fail on CI.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
		echo "make postgres: could not install postgresql; the PostgreSQL tests will skip (and fail when CI is set)"

test: install browser postgres
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
	$(PY) -m pip install -q -e '.[test,scale,postgres,bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) data results .pytest_cache
