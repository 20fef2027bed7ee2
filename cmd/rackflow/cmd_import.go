package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

func init() {
	commands["import"] = command{summary: "load racks, components and BMCs from a JSON or YAML file through the API", run: runImport}
}

func runImport(ctx context.Context, args []string, o IO) int {
	fs := newFlags("import", o)
	var cf clientFlags
	cf.register(fs, o)
	output := fs.String("o", outTable, "output format: table or json (the server's answer)")
	file, err := parseWithArg(fs, args, "FILE (a JSON or YAML file, or - for stdin)")
	if err == nil && *output != outTable && *output != outJSON {
		err = fmt.Errorf("-o: want table or json, found %q", *output)
	}
	if err != nil {
		return usageError(o, fs, err)
	}
	c, err := newAPIClient(o, cf.server)
	if err != nil {
		return fail(o, "import", err)
	}
	doc, err := readImport(file, o.In)
	if err != nil {
		return fail(o, "import", err)
	}
	var answer map[string]any
	if err := c.postJSON(ctx, "/v1/import", bytes.NewReader(doc), &answer); err != nil {
		return fail(o, "import", err)
	}
	if *output == outJSON {
		err = writeObject(o.Out, answer)
	} else {
		_, err = io.WriteString(o.Out, importSummary(answer))
	}
	if err != nil {
		return fail(o, "import", err)
	}
	return 0
}

// readImport reads FILE ("-" is stdin) as the JSON import document.
func readImport(file string, stdin io.Reader) ([]byte, error) {
	if file == "-" {
		return importDocument("stdin", stdin)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the import file: %w", err)
	}
	defer f.Close()
	return importDocument(file, f)
}

// importSummary is what the server wrote, one line per kind of record:
// "racks:      2 inserted, 0 updated, 1 unchanged".
func importSummary(answer map[string]any) string {
	kinds := []string{"racks", "components", "bmcs"}
	for _, k := range sortedKeys(answer) {
		if k != "racks" && k != "components" && k != "bmcs" {
			kinds = append(kinds, k)
		}
	}
	var b strings.Builder
	for _, k := range kinds {
		counts, ok := answer[k].(map[string]any)
		if !ok {
			continue
		}
		c := item(counts)
		fmt.Fprintf(&b, "%-11s %s inserted, %s updated, %s unchanged\n", k+":", orZero(c.text("inserted")), orZero(c.text("updated")), orZero(c.text("unchanged")))
	}
	return b.String()
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
