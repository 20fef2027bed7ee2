# Developer targets. The generated protobuf code is committed, so a plain
# `go build ./...` needs none of the protoc tools.

GOBIN ?= $(shell go env GOPATH)/bin
PROTOC ?= protoc

.PHONY: build test bench bench-quick bench-table proto proto-tools

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
	go test $(BENCHFLAGS) -bench . ./core/ ./coresim/ ./mirror/ ./cycle/

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
