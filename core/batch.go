package core

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

const (
	// coreDefaultBatch is Core's own default limit, used when Core reports 0
	// or nothing.
	coreDefaultBatch = 100
	// maxBatch caps batches even when Core allows more.
	maxBatch = 100
	// maxLoggedIDs bounds how many ids one log line names.
	maxLoggedIDs = 50
)

// batchSize returns how many ids one by-ids request may carry. It asks Core
// once per client and remembers the answer; a failed Version call is not
// remembered, so the next call asks again.
func (c *Client) batchSize(ctx context.Context) (int, error) {
	c.mu.Lock()
	n := c.batch
	c.mu.Unlock()
	if n > 0 {
		return n, nil
	}
	if _, err := c.Version(ctx); err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.batch, nil
}

// learnBatch records Core's limit with the rules of core-wire.md: 0 means
// Core's default, and no batch is ever larger than 100.
func (c *Client) learnBatch(limit uint32) {
	n := int(limit)
	if n == 0 {
		n = coreDefaultBatch
	}
	n = min(n, maxBatch)
	c.mu.Lock()
	c.batch = n
	c.mu.Unlock()
}

// DefaultConcurrency is how many by-ids batches of one call are in flight
// at once when Config.Concurrency is not set.
const DefaultConcurrency = 4

// collectBatches splits ids (deduplicated, order kept) into batches of
// Core's size, runs fn for up to c.concurrency batches at once, and returns
// the batches' results in batch order. An empty list makes no call. On
// failure it returns the error of the earliest failed batch; batches not yet
// started are not sent.
//
// Each batch's results are copied into one slice as they arrive, at the
// batch's own offset, so that the whole reply is never held twice (at 10,000
// racks the machines alone are over 100 MB). fn never returns more results
// than its batch has ids: every by-ids reply is checked for that.
func collectBatches[T any](ctx context.Context, c *Client, ids []string, fn func(ctx context.Context, batch []string) ([]T, error)) ([]T, error) {
	ids = dedupe(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	n, err := c.batchSize(ctx)
	if err != nil {
		return nil, err
	}
	batches := slices.Collect(slices.Chunk(ids, n))
	out, counts, errs := make([]T, len(ids)), make([]int, len(batches)), make([]error, len(batches))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slots := make(chan struct{}, max(c.concurrency, 1))
	var wg sync.WaitGroup
	for i, batch := range batches {
		slots <- struct{}{}
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			got, err := fn(ctx, batch)
			if err == nil && len(got) > len(batch) {
				err = fmt.Errorf("core: %d results for a batch of %d ids", len(got), len(batch))
			}
			if err != nil {
				errs[i] = err
				cancel()
				return
			}
			counts[i] = copy(out[i*n:], got)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	// Close the gaps left by ids a reply omitted.
	w := 0
	for i, k := range counts {
		w += copy(out[w:], out[i*n:i*n+k])
	}
	clear(out[w:])
	return out[:w], nil
}

// dedupe drops repeated ids, keeping the first occurrence, so that a
// repeated id in the caller's list cannot look like a duplicate in a reply.
func dedupe(ids []string) []string {
	seen := make(map[string]struct{}, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := seen[id]; ok {
			continue
		}
		seen[id] = struct{}{}
		out = append(out, id)
	}
	return out
}

// checkIDs compares the ids of a by-ids reply with the batch that asked for
// them. An id nobody asked for, or one that comes back twice, is an error;
// requested ids absent from the reply are returned as missing.
func checkIDs(rpc string, requested, got []string) (missing []string, err error) {
	want := make(map[string]bool, len(requested))
	for _, id := range requested {
		want[id] = false
	}
	for _, id := range got {
		seen, ok := want[id]
		if !ok {
			return nil, badReply(rpc, "id %q was not requested", id)
		}
		if seen {
			return nil, badReply(rpc, "id %q came back twice", id)
		}
		want[id] = true
	}
	for _, id := range requested {
		if !want[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// warnMissing logs requested objects that Core no longer returned: normal
// churn between the list and the details call.
func (c *Client) warnMissing(rpc string, missing []string) {
	if len(missing) == 0 {
		return
	}
	c.log.Warn("core reply omits requested ids", "rpc", rpc, "missing_count", len(missing), "missing_ids", firstIDs(missing))
}

func firstIDs(ids []string) []string {
	if len(ids) > maxLoggedIDs {
		return ids[:maxLoggedIDs]
	}
	return ids
}
