package coresim

import (
	"context"
	"fmt"
	"slices"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "rackflow/coreproto"
)

// effects is what the faults of one call do to its reply.
type effects struct {
	empty     bool
	keep      int // -1 = keep everything
	extraIDs  []string
	duplicate bool
	// entryStatus gives GetComponentInventory entries a failure status.
	entryStatus map[string]pb.ComponentManagerStatusCode
}

// applyFaults runs the faults of one RPC in list order: delays wait (ending
// early with the caller's context), an error fails the call and ends the
// list, and the others shape the reply. A fault with times counts only the
// calls it affected.
func applyFaults(ctx context.Context, faults []*activeFault, ids []string) (effects, error) {
	e := effects{keep: -1}
	for _, f := range faults {
		if len(f.IDs) > 0 && !overlaps(f.IDs, ids) {
			continue
		}
		if f.Times > 0 && f.hits.Add(1) > int64(f.Times) {
			continue
		}
		if err := wait(ctx, time.Duration(f.Delay)); err != nil {
			return e, err
		}
		if err := f.shape(&e); err != nil {
			return e, err
		}
	}
	return e, nil
}

// shape adds the fault's effect to e, or returns the error it injects.
func (f *activeFault) shape(e *effects) error {
	if len(f.IDs) > 0 {
		code, _ := componentStatus(f.Error)
		if e.entryStatus == nil {
			e.entryStatus = make(map[string]pb.ComponentManagerStatusCode)
		}
		for _, id := range f.IDs {
			e.entryStatus[id] = code
		}
		return nil
	}
	if f.Error != "" {
		code, _ := grpcCode(f.Error)
		return status.Errorf(code, "core simulator: injected %s", f.Error)
	}
	e.empty = e.empty || f.Empty
	if f.Keep != nil && (e.keep < 0 || *f.Keep < e.keep) {
		e.keep = *f.Keep
	}
	if f.ExtraID != "" {
		e.extraIDs = append(e.extraIDs, f.ExtraID)
	}
	e.duplicate = e.duplicate || f.DuplicateID
	return nil
}

func overlaps(a, b []string) bool {
	for _, id := range a {
		if slices.Contains(b, id) {
			return true
		}
	}
	return false
}

// wait sleeps for d, or returns the gRPC status of the caller's context when
// it ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

// shapeList applies empty, keep, duplicate_id and extra_id to a reply list.
// The input is shared state, so any change is made on a copy.
func shapeList[T any](items []T, e effects, withID func(id string) T) []T {
	if e.empty {
		return nil
	}
	if e.keep >= 0 && e.keep < len(items) {
		items = items[:e.keep]
	}
	if !e.duplicate && len(e.extraIDs) == 0 {
		return items
	}
	out := slices.Clone(items)
	if e.duplicate && len(items) > 0 {
		out = append(out, items[0])
	}
	for _, id := range e.extraIDs {
		out = append(out, withID(id))
	}
	return out
}

// componentStatus maps a ComponentManagerStatusCode name to its value.
func componentStatus(name string) (pb.ComponentManagerStatusCode, bool) {
	v, ok := pb.ComponentManagerStatusCode_value["COMPONENT_MANAGER_STATUS_CODE_"+name]
	return pb.ComponentManagerStatusCode(v), ok
}

func invalidArgument(format string, args ...any) error {
	return status.Error(codes.InvalidArgument, "core simulator: "+fmt.Sprintf(format, args...))
}
