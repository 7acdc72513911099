# Grantdesk — every command of the project. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PORT ?= 8000
PYTEST_ARGS ?= -n 2
export PYTHONDONTWRITEBYTECODE := 1

# Stamp files: reinstall only when the lock files change.
$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: help
help: ## List the commands
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

.PHONY: install
install: $(BIN)/.installed node_modules/.installed messages ## Create .venv and install Python and npm packages

.PHONY: messages
messages: $(BIN)/.installed ## Compile the translations
	@DEBUG=true $(MANAGE) compilemessages --ignore "$(VENV)/*" --ignore "node_modules/*" -v 0

.PHONY: setup
setup: install ## Install, migrate, load the catalogue and the demo data (embedded SQLite)
	DEBUG=true $(MANAGE) migrate --no-input -v 0
	@for cmd in load_catalogue seed_demo; do \
		if DEBUG=true $(MANAGE) help $$cmd >/dev/null 2>&1; then DEBUG=true $(MANAGE) $$cmd; fi; \
	done

.PHONY: run
run: setup ## Run web, worker and beat on http://127.0.0.1:$(PORT) (Ctrl-C stops all three)
	@echo "Grantdesk on http://127.0.0.1:$(PORT)/ — worker and beat run beside it. Ctrl-C stops all."
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=true $(BIN)/celery -A config worker --loglevel INFO --concurrency 2 & \
	DEBUG=true $(BIN)/celery -A config beat --loglevel INFO & \
	DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT) & \
	wait

.PHONY: test
test: install lint migrations-check ## Run ruff, the migrations check and the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: install ## Run the benchmarks and rewrite docs/benchmarks.md
	$(PY) -m bench $(ARGS)

.PHONY: lint
lint: $(BIN)/.installed ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: fmt
fmt: $(BIN)/.installed ## ruff: fix what it can and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: migrations-check
migrations-check: $(BIN)/.installed ## Fail when models changed without a migration
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

.PHONY: translations
translations: $(BIN)/.installed ## Extract strings into locale/zh_Hans (then translate, then make messages)
	DEBUG=true $(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore "tests/*" --ignore "$(VENV)/*" --ignore "node_modules/*" --ignore "var/*" --ignore "bench/*"

.PHONY: clean
clean: ## Remove the embedded database, media and broker folders (var/)
	rm -rf var/
