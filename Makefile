# The two commands of the README are `make run` and `make test`; the rest helps them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint format check messages bench bench-chat bench-pilotage bench-profile clean

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# The OpenID provider ProConnect's tests start (tests/oidc.py), from the npm registry.
OIDC_DIR := tests/oidc_provider
OIDC_STAMP := $(OIDC_DIR)/node_modules/.installed
$(OIDC_STAMP): $(OIDC_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(OIDC_DIR) --no-audit --no-fund --loglevel=error && touch $(OIDC_STAMP); \
	else echo "npm absent : les tests de ProConnect seront ignorés (Node.js et npm requis)."; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# Serves HTTP and WebSockets on http://$(HOST):$(PORT) with the embedded defaults,
# and runs the background task worker beside it until Ctrl-C.
run: demo
	@$(BIN)/python manage.py db_worker --queue-name '*' --interval 1 & \
	  WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install $(OIDC_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The portal's corrections to its libraries' French: after editing the .po, commit the .mo.
messages:
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

# Pages (wrk against a trivial view), then the live chat's fan-out (bench/chat.py:
# PostgreSQL and Redis needed, about 5 minutes; BENCH_CHAT_CLIENTS=200 to shorten it),
# then the pilotage at national scale (bench/pilotage.py: PostgreSQL needed, about
# 10 minutes: 100,000 members, 2 million events, the aggregation timed, the dashboards).
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/chat.py
	$(BIN)/python bench/pilotage.py

bench-chat: install
	$(BIN)/python bench/chat.py

bench-pilotage: install
	$(BIN)/python bench/pilotage.py

# Where each benchmarked page's time goes (cProfile, in one process; see bench/profile_pages.py).
bench-profile: install
	$(BIN)/python bench/profile_pages.py

clean:
	rm -rf $(VENV) var
