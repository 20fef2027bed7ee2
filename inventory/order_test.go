package inventory

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSortByKey_AgreesWithAByteSortWhateverTheKeysShare(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabets := map[string]string{"hex": "0123456789abcdef", "bytes": "\x00\x01ab\xff", "one": "a"}
	for name, alphabet := range alphabets {
		for _, prefix := range []string{"", "aa:bb:cc:", "0123456789abcdef0123"} {
			for _, n := range []int{0, 1, 2, 3, 50, 1000} {
				seen := map[string]bool{}
				var rows []BMC
				for try := 0; len(rows) < n && try < 20*n; try++ { // "a" strings: only 14 exist
					var b strings.Builder
					b.WriteString(prefix)
					for range rnd.IntN(14) {
						b.WriteByte(alphabet[rnd.IntN(len(alphabet))])
					}
					if k := b.String(); !seen[k] {
						seen[k] = true
						rows = append(rows, BMC{MAC: k, ComponentID: fmt.Sprint(len(rows))})
					}
				}
				want := slices.Clone(rows)
				slices.SortFunc(want, func(a, b BMC) int { return strings.Compare(a.MAC, b.MAC) })
				SortBMCs(rows)
				if !slices.Equal(rows, want) {
					t.Errorf("%s alphabet, prefix %q, %d rows: sorted %q, want %q", name, prefix, n, macs(rows), macs(want))
				}
			}
		}
	}
}

func macs(bs []BMC) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.MAC
	}
	return out
}

// BenchmarkSortComponents sorts the components of a 1,000-rack site, read
// in an order unrelated to their ids.
func BenchmarkSortComponents(b *testing.B) {
	rows := make([]Component, 35000)
	for i := range rows {
		rows[i] = Component{ID: NewID(), Type: Compute, Manufacturer: "NVIDIA", SerialNumber: fmt.Sprint(i)}
	}
	shuffled := slices.Clone(rows)
	b.Run("store order", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			copy(shuffled, rows)
			b.StartTimer()
			SortComponents(shuffled)
		}
	})
	b.Run("slices.SortFunc", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			copy(shuffled, rows)
			b.StartTimer()
			slices.SortFunc(shuffled, func(a, b Component) int { return strings.Compare(a.ID, b.ID) })
		}
	})
}
