//go:build !unix

package sqlite

// readOnlyHint has nothing to add where access(2) is missing.
func readOnlyHint(string) string { return "" }
