# OneDoor. `make` alone lists the targets.
GO    ?= go
BIN   := bin/onedoor
PKGS  := ./...
# Cases seeded for the read-side benchmarks in store/ (make bench BENCH_CASES=1000000).
BENCH_CASES ?= 100000
# Cases seeded for make measure-pages, which times the workbench's queue and case pages.
PAGES_CASES ?= 1000000
# Size of the fault campaign of make chaos (make chaos CHAOS_CASES=500 CHAOS_DURATION=3m CHAOS_KILLS=50).
CHAOS_CASES    ?= 2000
CHAOS_DURATION ?= 10m
CHAOS_KILLS    ?= 6
CHAOS_CUTS     ?= 4
# Size of the timer storm of make storm, and onedoor dev's worker tuning flags for it
# (make storm STORM_CASES=5000 STORM_DEV_ARGS="--sticky-cache=30000").
STORM_CASES    ?= 20000
STORM_DEV_ARGS ?=
# Registrations a second the storm's campaign expects, which sets its due instant (internal/storm's default when empty).
STORM_RATE     ?=
# The name and tag make image gives the image it writes.
IMAGE ?= onedoor:latest

# The official Temporal server of make test-cluster, at the version go.mod names, built once.
TEMPORAL_VERSION := $(shell $(GO) list -m -f '{{.Version}}' go.temporal.io/server)
TEMPORAL_BIN     ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/onedoor/temporal-$(TEMPORAL_VERSION)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
# Statically linked (no C library needed: it runs on any Linux and in an image of its own) and
# without the build machine's paths. internal/testenv builds the same way when ONEDOOR_BIN is unset.
build: web ## Build bin/onedoor (with the workbench when Node.js is there)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/onedoor

.PHONY: image
image: build ## Pack bin/onedoor into a container image, bin/onedoor-image.tar, without Docker (IMAGE=name:tag; docker load, podman load or crane push it)
	$(GO) run ./deploy/image -o bin/onedoor-image.tar -tag $(IMAGE) $(BIN)

# The workbench: npm ci when the lock file changed, vite build when a source did.
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json web/package.json
WEB_DEPS := web/node_modules/.installed

$(WEB_DEPS): web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run build

.PHONY: web
ifeq ($(shell command -v npm),)
web:
	@echo "npm not found: bin/onedoor will serve a page saying how to build the workbench (install Node.js 20, then make web)"
else
web: web/dist/index.html ## Build the workbench into web/dist (embedded in bin/onedoor) when its sources changed
endif

.PHONY: web-schema
web-schema: build ## Regenerate the workbench's API types (web/src/api/schema.d.ts) from the API's OpenAPI document
	./$(BIN) openapi --dev > web/node_modules/.openapi.json
	cd web && npx openapi-typescript node_modules/.openapi.json -o src/api/schema.d.ts

.PHONY: test-web
test-web: web-checks journeys ## Workbench tests: types, API types current, Vitest, Chromium 87 syntax, Playwright in Debian's Chromium

.PHONY: web-checks
web-checks: build ## The workbench's checks without a browser: types, API types current, Vitest, Chromium 87 syntax, bundle sizes
	./$(BIN) openapi --dev > web/node_modules/.openapi.json
	cd web && npx openapi-typescript node_modules/.openapi.json -o node_modules/.schema.d.ts >/dev/null 2>&1
	@diff -q web/src/api/schema.d.ts web/node_modules/.schema.d.ts >/dev/null || { echo "web/src/api/schema.d.ts is stale: run make web-schema"; diff -u web/src/api/schema.d.ts web/node_modules/.schema.d.ts | head -40; exit 1; }
	cd web && npx tsc && npx vitest run && npm run --silent check-syntax && node scripts/bundle-size.mjs

.PHONY: journeys
journeys: build ## The Playwright journeys (web/e2e) in Debian's Chromium, against an onedoor dev of their own
	cd web && ONEDOOR_BIN=$(CURDIR)/$(BIN) npx playwright test

.PHONY: run
run: build ## Run the whole center on embedded defaults: state in .data/, workbench and API on 127.0.0.1:8080
	./$(BIN) dev

.PHONY: test
test: build temporal ## Lint, the workbench's checks and every Go test at once, then the browser journeys, against throwaway PostgreSQL and Temporal servers (the cluster test too)
	$(MAKE) --no-print-directory -j3 lint web-checks test-go
	@# Alone: beside the Go tests' servers Chromium ran the same journeys 3-5 times slower on two cores.
	$(MAKE) --no-print-directory journeys

.PHONY: test-go
# Every package, the longest first: go test runs as many at once as there are cores, in the order
# named, and the e2e package (mostly waiting for timers to fire) ended last when it waited for a
# turn. PKGS=./workflows/ runs those alone.
TEST_PKGS := $(if $(filter ./...,$(PKGS)),./e2e/ ./api/ ./store/ $(PKGS),$(PKGS))
test-go: build temporal ## Every Go test against throwaway PostgreSQL and Temporal servers (the cluster test too)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_TEMPORAL_BIN=$(TEMPORAL_BIN) ./$(BIN) testenv -- $(GO) test -count=1 -timeout 12m $(TEST_PKGS)

.PHONY: test-cluster
test-cluster: build temporal ## Only the cluster test: the official Temporal server on PostgreSQL, two API nodes, two workers, kills
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_TEMPORAL_BIN=$(TEMPORAL_BIN) $(GO) test -count=1 -run '^TestCluster' -v -timeout 15m ./e2e/

.PHONY: temporal
temporal: ## Build the official Temporal server and its SQL tool into TEMPORAL_BIN, once (about 7 minutes the first time)
	@test -x $(TEMPORAL_BIN)/server -a -x $(TEMPORAL_BIN)/sql || \
		GOBIN=$(TEMPORAL_BIN) $(GO) install go.temporal.io/server/cmd/server@$(TEMPORAL_VERSION) go.temporal.io/server/cmd/tools/sql@$(TEMPORAL_VERSION)

.PHONY: bench
bench: build ## Run the benchmarks (5 runs each, for benchstat; BENCH_CASES sizes the read side's)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_BENCH_CASES=$(BENCH_CASES) ./$(BIN) testenv -- $(GO) test -run '^$$' -bench . -benchmem -count 5 -timeout 60m $(PKGS)

.PHONY: measure-pages
measure-pages: build ## Time the queue and case pages in Chromium on a center seeded with PAGES_CASES cases (medians)
	./$(BIN) testenv -- web/perf/measure.sh $(PAGES_CASES)

.PHONY: chaos
chaos: build ## Fault campaign: kills, PostgreSQL cuts and mirror faults under load, then a check (CHAOS_CASES, CHAOS_DURATION, CHAOS_KILLS, CHAOS_CUTS)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_CHAOS_CASES=$(CHAOS_CASES) ONEDOOR_CHAOS_DURATION=$(CHAOS_DURATION) ONEDOOR_CHAOS_KILLS=$(CHAOS_KILLS) ONEDOOR_CHAOS_CUTS=$(CHAOS_CUTS) $(GO) test -count=1 -run '^TestChaos$$' -v -timeout 90m ./e2e/

.PHONY: storm
storm: build ## Timer storm: STORM_CASES cases due at one instant on onedoor dev; lateness, clerks' latency, CPU and memory (STORM_RATE: expected registrations/s; STORM_DEV_ARGS: worker tuning flags)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_STORM_CASES=$(STORM_CASES) ONEDOOR_STORM_RATE=$(STORM_RATE) ONEDOOR_STORM_DEV_ARGS="$(STORM_DEV_ARGS)" $(GO) test -count=1 -run '^TestTimerStorm$$' -v -timeout 90m ./e2e/

.PHONY: lint
lint: ## gofmt, go vet, staticcheck and workflowcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "run gofmt -w on the files above"; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)
	$(GO) run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 -config workflows/workflowcheck.config.yaml ./workflows/...

.PHONY: clean
clean: ## Remove bin/ (not the .data/ folder of make run)
	rm -rf bin

.PHONY: histories
histories: build ## Record the workflow histories the replay test runs (after a change that keeps old cases replaying)
	./$(BIN) testenv -- $(GO) test -tags record -count=1 -run '^TestRecord' -v -timeout 20m ./workflows/
