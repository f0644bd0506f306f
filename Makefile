# OneDoor. `make` alone lists the targets.
GO    ?= go
BIN   := bin/onedoor
PKGS  := ./...
# Cases seeded for the read-side benchmarks in store/ (make bench BENCH_CASES=1000000).
BENCH_CASES ?= 100000
# Size of the fault campaign of make chaos (make chaos CHAOS_CASES=500 CHAOS_DURATION=3m CHAOS_KILLS=50).
CHAOS_CASES    ?= 2000
CHAOS_DURATION ?= 10m
CHAOS_KILLS    ?= 6
CHAOS_CUTS     ?= 4

# The official Temporal server of make test-cluster, at the version go.mod names, built once.
TEMPORAL_VERSION := $(shell $(GO) list -m -f '{{.Version}}' go.temporal.io/server)
TEMPORAL_BIN     ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/onedoor/temporal-$(TEMPORAL_VERSION)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[36m%-8s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build bin/onedoor
	$(GO) build -ldflags="-s -w" -o $(BIN) ./cmd/onedoor

.PHONY: run
run: build ## Run the whole center on embedded defaults: state in .data/, API on 127.0.0.1:8080
	./$(BIN) dev

.PHONY: test
test: lint build temporal ## Lint, then run every test against throwaway PostgreSQL and Temporal servers (the cluster test too)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_TEMPORAL_BIN=$(TEMPORAL_BIN) ./$(BIN) testenv -- $(GO) test -count=1 -timeout 12m $(PKGS)

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

.PHONY: chaos
chaos: build ## Fault campaign: kills, PostgreSQL cuts and mirror faults under load, then a check (CHAOS_CASES, CHAOS_DURATION, CHAOS_KILLS, CHAOS_CUTS)
	ONEDOOR_BIN=$(CURDIR)/$(BIN) ONEDOOR_CHAOS_CASES=$(CHAOS_CASES) ONEDOOR_CHAOS_DURATION=$(CHAOS_DURATION) ONEDOOR_CHAOS_KILLS=$(CHAOS_KILLS) ONEDOOR_CHAOS_CUTS=$(CHAOS_CUTS) $(GO) test -count=1 -run '^TestChaos$$' -v -timeout 90m ./e2e/

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
