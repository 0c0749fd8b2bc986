# The README's two commands are `make demo` and `make test`; both install first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
APPRODO := $(BIN)/approdo
# Installed without its declared dependencies (Django<5.0, which Approdo's Django 5.2 meets
# in practice: the area's SPID tests run it); what it needs is in pyproject.toml.
SPID_CIE_OIDC_VERSION := 1.6.3

.PHONY: install system-deps demo stop test test-fast lint format bench clean-data

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps 'spid-cie-oidc==$(SPID_CIE_OIDC_VERSION)'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium for the browser tests, poppler for PDF checks and ClamAV's daemon for the upload
# scanning tests come from Debian.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null \
	    || ! test -x /usr/sbin/clamd; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver poppler-utils clamav-daemon >/dev/null; \
	  else \
	    echo "Install Debian packages chromium chromium-driver poppler-utils clamav-daemon (sudo apt-get install ...)"; \
	    exit 1; \
	  fi; \
	fi

demo: install
	$(APPRODO) demo

# After Ctrl-C on the demo: the embedded PostgreSQL keeps running for other commands.
stop:
	@test -x $(APPRODO) && $(APPRODO) db stop || true

test: install system-deps lint
	$(APPRODO) makemigrations --check --dry-run
	$(BIN)/pytest

# Everything except the browser tests.
test-fast: install
	$(BIN)/pytest -m "not e2e"

# mypy reads the settings (never connects): any DATABASE_URL will do.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check approdo tests conftest.py scripts manage.py
	DATABASE_URL=postgres://mypy@localhost/mypy $(BIN)/mypy

format: install
	$(BIN)/ruff format approdo tests conftest.py scripts manage.py
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python scripts/bench_people.py
	$(BIN)/python scripts/bench_casework.py
	$(BIN)/python scripts/bench_ips.py
	$(BIN)/python scripts/bench_courses.py
	$(BIN)/python scripts/bench_projects.py
	$(BIN)/python scripts/bench_mailing.py
	$(BIN)/python scripts/bench_surveys.py
	$(BIN)/python scripts/bench_events.py
	$(BIN)/python scripts/bench_area.py
	$(BIN)/python scripts/bench_matching.py
	$(BIN)/python scripts/bench_reverse.py
	$(BIN)/python scripts/bench_load.py
	$(BIN)/python scripts/bench_report.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_queue.py
	# Regional scale: the 200,000 copied tenfold (made once, about 5 minutes).
	$(BIN)/python scripts/bench_matching.py --people 2000000 --repeat 20
	$(BIN)/python scripts/bench_people.py --database approdo_bench_2m --repeat 10
	$(BIN)/python scripts/bench_report.py --database approdo_bench_2m --repeat 5

clean-data:
	rm -rf var
