# Keel: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# The share of lines and branches the suite runs; it may rise, never fall.
COVERAGE_FLOOR ?= 92

.PHONY: run test setup lint format bench smoke clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Keel is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password keel-demo): admin, recruiter, interviewer, manager, engineer, director"
	@echo "  The mail Keel sends (survey links included): http://127.0.0.1:$(PORT)/dev/mailbox/ (as admin)"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo ""
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start -f Procfile.dev -p $(PORT)

test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(JOBS),--jobs $(JOBS))

# The production shape on this machine: gunicorn, a delivery and a compute
# worker, beat, PostgreSQL and RabbitMQ (started if needed); about 2 minutes.
smoke: $(STAMP)
	$(BIN)/python .ci/smoke.py

clean:
	rm -rf $(VENV) var
