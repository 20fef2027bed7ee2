package coresim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"

	"go.yaml.in/yaml/v3"
	"google.golang.org/grpc/codes"
)

// ParseManifest reads a YAML manifest strictly and checks it: unknown keys,
// missing required keys and broken references are errors that name the line.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("manifest: empty document")
		}
		return nil, fmt.Errorf("manifest: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("manifest: more than one YAML document")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// LoadManifest reads and parses a manifest file.
func LoadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Validate checks what the YAML decoder cannot: the version, the values of
// enumerated keys, unique actual ids within a kind, DPU references and the
// faults. Inconsistencies that Core tolerates in its expected inventory
// (duplicate rack ids, serials or MACs, unknown racks, odd labels) are
// allowed on purpose.
func (m *Manifest) Validate() error {
	if m.Version != 1 {
		return fmt.Errorf("manifest: version: want 1, found %d", m.Version)
	}
	checks := []func() error{m.validateCore, m.validateMachines, m.validateSwitches, m.validateShelves, m.validateFaults}
	for _, check := range checks {
		if err := check(); err != nil {
			return fmt.Errorf("manifest: %w", err)
		}
	}
	return nil
}

func (m *Manifest) validateCore() error {
	switch m.Core.MachineLayout {
	case "", "flat", "nested":
		return nil
	}
	return fmt.Errorf("core: machine_layout: want flat or nested, found %q", m.Core.MachineLayout)
}

// at prefixes a message with its line when the object came from a file.
func at(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		return fmt.Errorf("line %d: %s", line, msg)
	}
	return errors.New(msg)
}

func (m *Manifest) validateMachines() error {
	types := make(map[string]string, len(m.Actual.Machines))
	for _, am := range m.Actual.Machines {
		if err := validateMachine(am, types); err != nil {
			return err
		}
		types[am.ID] = am.Type
	}
	for _, am := range m.Actual.Machines {
		for _, dpu := range am.DPUs {
			if types[dpu] != TypeDPU {
				return at(am.Line, "actual machine %q: dpus: %q is not a machine of type dpu", am.ID, dpu)
			}
		}
	}
	return nil
}

func validateMachine(am ActualMachine, seen map[string]string) error {
	if am.ID == "" {
		return at(am.Line, "actual machine: id must not be empty")
	}
	if _, dup := seen[am.ID]; dup {
		return at(am.Line, "actual machine %q: duplicate id", am.ID)
	}
	if am.Type != TypeHost && am.Type != TypeDPU {
		return at(am.Line, "actual machine %q: type: want host or dpu, found %q", am.ID, am.Type)
	}
	if err := validatePower(am.Power); err != nil {
		return at(am.Line, "actual machine %q: %v", am.ID, err)
	}
	if err := validateSource(am.FirmwareSource); err != nil {
		return at(am.Line, "actual machine %q: %v", am.ID, err)
	}
	return nil
}

func (m *Manifest) validateSwitches() error {
	return validateDevices("actual switch", m.Actual.Switches)
}

func (m *Manifest) validateShelves() error {
	return validateDevices("actual power shelf", m.Actual.PowerShelves)
}

func validateDevices(what string, devices []ActualDevice) error {
	seen := make(map[string]bool, len(devices))
	for _, d := range devices {
		switch {
		case d.ID == "":
			return at(d.Line, "%s: id must not be empty", what)
		case seen[d.ID]:
			return at(d.Line, "%s %q: duplicate id", what, d.ID)
		}
		seen[d.ID] = true
		if err := validatePower(d.Power); err != nil {
			return at(d.Line, "%s %q: %v", what, d.ID, err)
		}
		if err := validateSource(d.FirmwareSource); err != nil {
			return at(d.Line, "%s %q: %v", what, d.ID, err)
		}
	}
	return nil
}

func validatePower(p string) error {
	switch p {
	case "", PowerOn, PowerOff, PowerDisabled, PowerUnset:
		return nil
	}
	return fmt.Errorf("power: want on, off, disabled or unset, found %q", p)
}

func validateSource(s string) error {
	switch s {
	case "", SourceReport, SourceInventoryID, SourceInventoryDescription, SourceBMCInfo:
		return nil
	}
	return fmt.Errorf("firmware_source: want report, inventory_id, inventory_description or bmc_info, found %q", s)
}

func (m *Manifest) validateFaults() error {
	for _, f := range m.Faults {
		if err := validateFault(f); err != nil {
			return at(f.Line, "fault on %q: %v", f.RPC, err)
		}
	}
	return nil
}

func validateFault(f Fault) error {
	if !slices.Contains(rpcNames, f.RPC) {
		return fmt.Errorf("rpc: unknown RPC (known: %v)", rpcNames)
	}
	if f.Times < 0 || (f.Keep != nil && *f.Keep < 0) {
		return errors.New("times and keep must not be negative")
	}
	if len(f.IDs) > 0 {
		return validateItemFault(f)
	}
	if f.Error == "" && !f.Empty && f.Keep == nil && f.Delay == 0 && f.ExtraID == "" && !f.DuplicateID {
		return errors.New("no effect: set error, empty, keep, delay, extra_id or duplicate_id")
	}
	if f.Error != "" {
		if _, ok := grpcCode(f.Error); !ok {
			return fmt.Errorf("error: %q is not a gRPC code name such as UNAVAILABLE", f.Error)
		}
	}
	return nil
}

// validateItemFault checks a per-entry GetComponentInventory fault.
func validateItemFault(f Fault) error {
	if f.RPC != "GetComponentInventory" {
		return errors.New("ids: allowed only on GetComponentInventory")
	}
	if _, ok := componentStatus(f.Error); !ok || f.Error == "SUCCESS" {
		return fmt.Errorf("error: with ids, want a ComponentManagerStatusCode (INVALID_ARGUMENT, INTERNAL_ERROR, NOT_FOUND, ALREADY_EXISTS, UNAVAILABLE), found %q", f.Error)
	}
	return nil
}

// grpcCode maps a code name such as UNAVAILABLE to its code.
func grpcCode(name string) (codes.Code, bool) {
	var c codes.Code
	if err := c.UnmarshalJSON([]byte(`"` + name + `"`)); err != nil || c == codes.OK {
		return 0, false
	}
	return c, true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
