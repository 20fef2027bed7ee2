package inventory

import "strings"

// Ptr returns a pointer to a copy of v.
func Ptr[T any](v T) *T { return &v }

// EqualPtr reports whether two nullable values are equal: both NULL, or both
// set to the same value.
func EqualPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Optional normalises a string from Core into a nullable value: trimmed, and
// nil when nothing is left, since an empty string counts as absent.
func Optional(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}
