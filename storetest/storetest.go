// Package storetest is the conformance suite of inventory.Store. It is written
// once and run by the tests of every backend against a real database.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"rackflow/inventory"
)

// Opener returns a fresh, migrated, empty store for one subtest.
type Opener func(t *testing.T) inventory.Store

// StatementCounter is implemented by stores that count their write statements.
type StatementCounter interface{ StatementCount() int64 }

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, inventory.Store)
	}{
		{"RackNameIsUniqueAcrossTombstones", testRackNameUniqueAcrossTombstones},
		{"RackChassisIsUniqueAcrossTombstones", testRackChassisUniqueAcrossTombstones},
		{"RackExternalIDIsUniqueOnlyWhenSet", testRackExternalIDPartialUnique},
		{"RackExternalIDIsNeverEmpty", testRackExternalIDNeverEmpty},
		{"ComponentKeyIsGlobalAcrossTypesAndTombstones", testComponentKeyGlobal},
		{"ComponentExternalIDIsUniquePerType", testComponentExternalIDPerType},
		{"BMCMACIsNormalisedOnWrite", testBMCMACNormalised},
		{"ForeignKeysAreEnforced", testForeignKeysEnforced},
		{"DeletingComponentCascadesToBMCs", testComponentDeleteCascades},
		{"DeletingRackClearsComponentRack", testRackDeleteSetsNull},
		{"AppliesMixedPlanWithEvents", testMixedPlan},
		{"UpdatesOnlyNamedColumns", testUpdatesNamedColumnsOnly},
		{"RollbackLeavesNothingBehind", testRollback},
		{"FailedApplyRollsBackEarlierSteps", testFailedApplyRollsBack},
		{"AnEventThatCannotBeEncodedRollsBackTheApply", testUnencodableEventRollsBack},
		{"TimestampsRoundTripInUTCMicroseconds", testTimestampsRoundTrip},
		{"ReadsComeInStoreOrder", testReadsComeInStoreOrder},
		{"ReadsEveryComponentColumn", testReadsEveryComponentColumn},
		{"CyclesOrderByStartTime", testCycleOrdering},
		{"SwapsUniqueValuesInOneApply", testSwap},
		{"ChainsUniqueValuesInOneApply", testChain},
		{"SwapsComponentExternalIDs", testComponentExternalIDSwap},
		{"MovesExternalIDsAlongAChainFromARowWithNone", testExternalIDChain},
		{"AppliesLargeBatchesWithFewStatements", testSetBased},
		{"EmptyWritesIssueNoStatement", testEmptyWrites},
		{"CycleNotFound", testCycleNotFound},
		{"DriftOpensUpdatesAndResolvesWithHistory", testDriftLifecycle},
		{"PruneKeepsRecentRowsAndOpenDrift", testPruneKeepsRecentRowsAndOpenDrift},
		{"InventoryVersionMovesWithInventoryWritesOnly", testInventoryVersionMovesWithInventoryWritesOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 11, 26, 10, 0, 0, 123456000, time.UTC)

func ptr[T any](v T) *T { return &v }

func rack(name, serial string, ext *string) inventory.Rack {
	return inventory.Rack{ID: inventory.NewID(), Name: name, Manufacturer: "Foxconn", SerialNumber: serial,
		ExternalID: ext, CreatedAt: t0, UpdatedAt: t0}
}

func component(typ inventory.ComponentType, serial string) inventory.Component {
	return inventory.Component{ID: inventory.NewID(), Type: typ, Manufacturer: "Foxconn", SerialNumber: serial,
		Name: ptr(serial), UpdatedAt: t0}
}

// apply applies w in one write transaction.
func apply(t *testing.T, s inventory.Store, w inventory.Writes) error {
	t.Helper()
	if w.At.IsZero() {
		w.At = t0
	}
	return s.Write(context.Background(), func(tx inventory.Tx) error { return tx.Apply(context.Background(), w) })
}

func mustApply(t *testing.T, s inventory.Store, w inventory.Writes) {
	t.Helper()
	if err := apply(t, s, w); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want one wrapping %v", what, err, target)
	}
}

type snapshot struct {
	racks      []inventory.Rack
	components []inventory.Component
	bmcs       []inventory.BMC
}

func read(t *testing.T, s inventory.Store) snapshot {
	t.Helper()
	var snap snapshot
	err := s.View(context.Background(), func(tx inventory.ReadTx) error {
		var err error
		if snap.racks, err = tx.Racks(context.Background()); err != nil {
			return err
		}
		if snap.components, err = tx.Components(context.Background()); err != nil {
			return err
		}
		snap.bmcs, err = tx.BMCs(context.Background())
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return snap
}

func (s snapshot) rack(t *testing.T, id string) inventory.Rack {
	t.Helper()
	for _, r := range s.racks {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("rack %s not found", id)
	return inventory.Rack{}
}

func (s snapshot) component(t *testing.T, id string) inventory.Component {
	t.Helper()
	for _, c := range s.components {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("component %s not found", id)
	return inventory.Component{}
}

func events(t *testing.T, s inventory.Store, f inventory.EventFilter) []inventory.Event {
	t.Helper()
	es, err := s.Events(context.Background(), f)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	return es
}
