# Developer targets. The generated protobuf code is committed, so a plain
# `go build ./...` needs none of the protoc tools.

GOBIN ?= $(shell go env GOPATH)/bin
PROTOC ?= protoc

.PHONY: build test bench proto proto-tools

build:
	go build ./...

test:
	go test ./...

# Benchmarks run 2,000-rack sites; they are kept out of the test target.
bench:
	go test -run xxx -bench . -benchtime 3x ./core/ ./coresim/

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
