package inventory

import (
	"encoding/binary"
	"slices"
	"strings"
)

// SortRacks puts racks in store order: by id, byte by byte.
func SortRacks(rs []Rack) { sortByKey(rs, func(r *Rack) string { return r.ID }) }

// SortComponents puts components in store order: by id, byte by byte.
func SortComponents(cs []Component) { sortByKey(cs, func(c *Component) string { return c.ID }) }

// SortBMCs puts BMC rows in store order: by MAC, byte by byte.
func SortBMCs(bs []BMC) { sortByKey(bs, func(b *BMC) string { return b.MAC }) }

// sortKey is one row's place in a sort: eight bytes of its key held inline,
// so that most comparisons read no string, and the row's position.
type sortKey struct {
	head uint64
	key  string
	pos  int32
}

// sortByKey sorts rows by key, byte by byte; keys are unique. It sorts
// small records instead of the rows, which may be large, and compares eight
// bytes of each key past the prefix every key shares (the same vendor's
// MACs agree on their first nine characters). Then it moves each row once.
func sortByKey[T any](rows []T, key func(*T) string) {
	if len(rows) < 2 {
		return
	}
	lo, hi := key(&rows[0]), key(&rows[0])
	for i := range rows {
		k := key(&rows[i])
		lo, hi = min(lo, k), max(hi, k)
	}
	shared := 0
	for shared < len(lo) && lo[shared] == hi[shared] {
		shared++
	}
	keys := make([]sortKey, len(rows))
	for i := range rows {
		k := key(&rows[i])
		keys[i] = sortKey{head: head8(k[shared:]), key: k, pos: int32(i)}
	}
	sortKeys(keys)
	permute(rows, keys)
}

// head8 is the first eight bytes of s, big-endian, zero-padded: its order
// agrees with the strings' wherever two heads differ.
func head8(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

func sortKeys(keys []sortKey) {
	slices.SortFunc(keys, func(a, b sortKey) int {
		switch {
		case a.head < b.head:
			return -1
		case a.head > b.head:
			return 1
		}
		return strings.Compare(a.key, b.key)
	})
}

// permute puts rows in the order of keys, following each cycle of the
// permutation so that every row moves once and needs no second slice.
func permute[T any](rows []T, keys []sortKey) {
	for start := range keys {
		if keys[start].pos < 0 {
			continue
		}
		saved := rows[start]
		at := start
		for {
			from := int(keys[at].pos)
			keys[at].pos = -1
			if from == start {
				rows[at] = saved
				break
			}
			rows[at] = rows[from]
			at = from
		}
	}
}
