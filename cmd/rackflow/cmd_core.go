package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"rackflow/core"
	"rackflow/inventory"
)

func init() {
	commands["core"] = command{summary: "show what Core reports: core get KIND [-o table|json]", run: runCore}
}

// coreKinds lists what `core get` can print, in help order.
var coreKinds = []string{"version", "expected-racks", "expected-machines", "expected-switches", "expected-power-shelves", "machines", "switches", "power-shelves"}

const coreUsage = "usage: rackflow core get KIND [-o table|json] [--core ADDR] [--core-insecure] (KIND: version, expected-racks, expected-machines, expected-switches, expected-power-shelves, machines, switches, power-shelves)"

func runCore(ctx context.Context, args []string, io IO) int {
	if len(args) == 0 || args[0] != "get" {
		fmt.Fprintln(io.Err, coreUsage)
		return 1
	}
	fs := newFlags("core get", io)
	output := fs.String("o", "table", "output format: table or json")
	settings := addCoreFlags(fs, io.Getenv)
	var logs logConfig
	logs.register(fs, io)
	kind, err := parseWithKind(fs, args[1:])
	if err != nil {
		return usageError(io, fs, err)
	}
	if *output != "table" && *output != "json" {
		return usageError(io, fs, fmt.Errorf("-o: want table or json, found %q", *output))
	}
	cfg, err := settings.config()
	if err != nil {
		return usageError(io, fs, err)
	}
	if cfg.Logger, err = logs.logger(io.Err); err != nil {
		return usageError(io, fs, err)
	}
	rows, err := fetchKind(ctx, cfg, kind)
	if err != nil {
		return fail(io, "core get", err)
	}
	if *output == "json" {
		return writeJSON(io, rows)
	}
	return writeTable(io, kind, rows)
}

// parseWithKind parses flags before and after the one positional KIND.
func parseWithKind(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", errors.New("missing KIND")
	}
	kind := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if !slices.Contains(coreKinds, kind) {
		return "", fmt.Errorf("unknown KIND %q (want one of %s)", kind, strings.Join(coreKinds, ", "))
	}
	return kind, nil
}

// versionRow is Version's output object.
type versionRow struct {
	BuildVersion string `json:"build_version"`
	MaxFindByIDs uint32 `json:"max_find_by_ids"`
}

// fetchKind reads one kind from Core as a list of domain values.
func fetchKind(ctx context.Context, cfg core.Config, kind string) ([]any, error) {
	c, err := core.Dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	switch kind {
	case "version":
		v, err := c.Version(ctx)
		return []any{versionRow{v.BuildVersion, v.MaxFindByIDs}}, err
	case "expected-racks":
		return anyList(c.ExpectedRacks(ctx))
	case "expected-machines":
		return anyList(c.ExpectedComponents(ctx, inventory.Compute))
	case "expected-switches":
		return anyList(c.ExpectedComponents(ctx, inventory.NVSwitch))
	case "expected-power-shelves":
		return anyList(c.ExpectedComponents(ctx, inventory.PowerShelf))
	case "machines":
		return listThenFetch(ctx, c.MachineIDs, c.Machines)
	case "switches":
		return listThenFetch(ctx, c.SwitchIDs, c.Switches)
	}
	return listThenFetch(ctx, c.PowerShelfIDs, c.PowerShelves)
}

func listThenFetch[T any](ctx context.Context, list func(context.Context) ([]string, error), fetch func(context.Context, []string) ([]T, error)) ([]any, error) {
	ids, err := list(ctx)
	if err != nil {
		return nil, err
	}
	return anyList(fetch(ctx, ids))
}

func anyList[T any](items []T, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out, nil
}

func writeJSON(io IO, rows []any) int {
	enc := json.NewEncoder(io.Out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rows); err != nil {
		return fail(io, "core get", err)
	}
	return 0
}

// writeTable prints one line per object with the columns an operator
// compares first.
func writeTable(io IO, kind string, rows []any) int {
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(tableHeader(kind), "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(tableRow(r), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fail(io, "core get", err)
	}
	return 0
}

func tableHeader(kind string) []string {
	switch kind {
	case "version":
		return []string{"BUILD_VERSION", "MAX_FIND_BY_IDS"}
	case "expected-racks":
		return []string{"RACK_ID", "PROFILE", "NAME", "DESCRIPTION", "LABELS"}
	case "machines":
		return []string{"ID", "TYPE", "STATE", "RACK_ID", "BMC_MAC", "BMC_IP", "FIRMWARE", "CHASSIS_SERIAL", "DPUS"}
	case "switches", "power-shelves":
		return []string{"ID", "STATE", "RACK_ID", "BMC_MAC", "BMC_IP", "FIRMWARE"}
	}
	return []string{"TYPE", "NAME", "SERIAL", "BMC_MAC", "BMC_IP", "RACK_ID", "EXPECTED_ID", "LABELS"}
}

func tableRow(r any) []string {
	switch v := r.(type) {
	case versionRow:
		return []string{v.BuildVersion, fmt.Sprint(v.MaxFindByIDs)}
	case inventory.ExpectedRack:
		return cells(v.RackID, v.ProfileID, v.Name, v.Description, labelText(v.Labels))
	case inventory.ExpectedComponent:
		return cells(string(v.Type), v.Name, v.SerialNumber, v.BMCMAC, v.BMCIP, v.RackID, v.ExpectedID, labelText(v.Labels))
	case inventory.Machine:
		return cells(v.ID, string(v.Type), v.State, v.RackID, v.BMC.MAC, v.BMC.IP, v.BMC.FirmwareVersion, v.DMI.ChassisSerial, strings.Join(v.DPUIDs, ","))
	case inventory.Device:
		return cells(v.ID, v.ControllerState, v.RackID, v.BMC.MAC, v.BMC.IP, v.BMC.FirmwareVersion)
	}
	return []string{fmt.Sprint(r)}
}

// cells shows empty values as "-" so that columns stay readable.
func cells(values ...string) []string {
	for i, v := range values {
		if v == "" {
			values[i] = "-"
		}
	}
	return values
}

func labelText(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + labels[k])
	}
	return b.String()
}
