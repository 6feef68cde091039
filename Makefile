# supctl — see README.md. `make test` installs everything and runs every test.
SHELL := /bin/bash


.PHONY: all deps sysdeps build lint typecheck test test-unit test-integration golden bench demo harness-up harness-down clean fidelity

all: build

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: node_modules/.installed

sysdeps:
	bash test/harness/install.sh

build: deps
	node scripts/build.mjs

lint: deps
	npx eslint .
	npx prettier --check .
	node --import tsx scripts/unused-exports.ts
	shellcheck -x sandbox/*.sh test/harness/*.sh scripts/*.sh bench/run.sh .ci/run

typecheck: deps
	npx tsc --noEmit -p tsconfig.json

# Everything: system packages, npm packages, build, lint, type-check, unit and
# integration tests against real systemd, dockerd and supervisord.
test: sysdeps build lint typecheck
	bash scripts/test.sh all

test-unit: build
	bash scripts/test.sh unit

test-integration: build
	bash scripts/test.sh integration

golden: build
	for f in scripts/golden*.ts; do node --import tsx "$$f" || exit $$?; done

bench: build
	bash bench/run.sh

demo: sysdeps build
	@for f in examples/bklog/*.conf.tmpl; do \
	  echo "== supctl parse $$f --values examples/bklog.values"; \
	  ./bin/supctl parse "$$f" --values examples/bklog.values || exit $$?; echo; \
	done
	bash scripts/demo.sh

# FIDELITY.md: the scenario table (test/fidelity/) under supervisord, systemd
# and Docker on the harness; fails when an EXACT claim is contradicted.
fidelity: build
	@trap 'bash test/harness/down.sh --user "fidelity-$$$$" || true' EXIT; \
	bash test/harness/up.sh --user "fidelity-$$$$" --pid $$$$ && \
	set -a && source .tmp/harness/env && set +a && \
	node --import tsx scripts/fidelity.ts

harness-up:
	bash test/harness/up.sh

harness-down:
	bash test/harness/down.sh

clean:
	rm -rf dist .tmp
