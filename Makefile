# Developer targets. The generated protobuf code is committed, so a plain
# `go build ./...` needs none of the protoc tools.

GOBIN ?= $(shell go env GOPATH)/bin
PROTOC ?= protoc

.PHONY: build test bench bench-quick bench-api bench-dashboard bench-cli bench-table proto proto-tools

build:
	go build ./...

test:
	go test ./...

# Benchmarks run 1,000- and 2,000-rack sites against the simulator and real
# databases (PostgreSQL as for the tests); they are kept out of the test
# target. One package at a time (-p 1), so that runs do not share the CPUs.
# docs/performance.md records the figures.
BENCHTIME ?= 1x
BENCHFLAGS = -p 1 -run '^$$' -benchtime $(BENCHTIME) -benchmem -timeout 60m

bench:
	go test $(BENCHFLAGS) -bench . ./core/ ./coresim/ ./mirror/ ./cycle/ ./cmd/rackflow/ ./dashboard/

# bench-api runs only the read API benchmarks: GET /v1/racks?limit=1000 and
# pages of components, events and drift on a 1,000-rack site, both backends.
bench-api:
	go test $(BENCHFLAGS) -benchtime 20x -bench 'API1000Racks' ./cmd/rackflow/

# bench-dashboard renders the 1,000-rack grid page (GET /racks) on both
# backends.
bench-dashboard:
	go test $(BENCHFLAGS) -benchtime 5x -bench 'RackGrid' ./dashboard/

# bench-cli runs only the CLI benchmark: components --all on a 1,000-rack
# site in each output format, with the peak growth of the live heap.
bench-cli:
	go test $(BENCHFLAGS) -benchtime 3x -bench 'CLIComponentsAll1000' ./cmd/rackflow/

# bench-quick runs only the 100-rack mirror and cycle benchmarks.
bench-quick:
	go test $(BENCHFLAGS) -bench '100Racks' ./cycle/

# bench-table prints rackflow bench's table: every scenario and baseline on
# both backends, each in its own process. RACKS=100,1000,10000 adds the
# 10,000-rack site (several minutes per backend).
RACKS ?= 100,1000
bench-table:
	go run ./cmd/rackflow bench --racks $(RACKS)

# proto regenerates coreproto from forge.proto. Needs Debian's
# protobuf-compiler and the two plugins from proto-tools.
proto:
	PATH="$(GOBIN):$$PATH" $(PROTOC) -I coreproto -I /usr/include \
		--go_out=coreproto --go_opt=paths=source_relative \
		--go-grpc_out=coreproto --go-grpc_opt=paths=source_relative \
		coreproto/forge.proto

proto-tools:
	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2

# reliability runs the reliability matrix of docs/reliability.md afresh,
# with the reply-order property over RACKFLOW_ORDER_SEEDS (default here 300)
# random sequences instead of the tests' 30, and every Core fault of the
# actual sync on PostgreSQL too (RACKFLOW_RELIABILITY_FULL). The row-7 tests
# mount a tmpfs, so they need root (as in CI).
.PHONY: reliability fuzz
ORDER_SEEDS ?= 300
RELIABILITY_RUN = 'TestFaults_|TestCredentials_|TestBadConfiguration_|TestSync_TwoAtOnce|TestServe_(SIGTERMMid|LeaderSIGKILLed|PostgresUnreachable|PostgresCutMid|SQLiteDiskFull)|TestServer_(Cuts|RequestLogs|Timeouts)|TestTokensEqual_|TestPostCycles_|TestMirror_ResultDoesNotDependOnReplyOrder|Fuzz'

reliability:
	RACKFLOW_ORDER_SEEDS=$(ORDER_SEEDS) RACKFLOW_RELIABILITY_FULL=1 go test -count=1 -p 1 -run $(RELIABILITY_RUN) \
		./cycle/ ./cmd/rackflow/ ./httpapi/ ./mirror/ ./mirror/mirrorref/ ./core/ ./inventory/ ./coresim/

# fuzz runs each fuzz target for FUZZTIME (default 30s), one after another.
FUZZTIME ?= 30s
FUZZ_TARGETS = inventory:FuzzNormalizeMAC coresim:FuzzParseManifest core:FuzzConvertReplies \
	mirror:FuzzPrepareComponents_Labels mirror:FuzzPlanRacks_Labels \
	httpapi:FuzzListQueryParams httpapi:FuzzAPI_ListQueryParams httpapi:FuzzImportBody httpapi:FuzzAPI_ImportBody

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		echo "fuzz $$name ($$pkg, $(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg/; \
	done
