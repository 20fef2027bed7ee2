package postgres_test

import (
	"testing"

	"rackflow/inventory"
	"rackflow/postgres/pgtest"
	"rackflow/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "postgres") }

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) inventory.Store { return pgtest.Open(t) })
}

func TestReaderConformance(t *testing.T) {
	storetest.RunReader(t, func(t *testing.T) inventory.Store { return pgtest.Open(t) })
}
