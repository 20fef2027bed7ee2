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
		_, err = io.WriteString(o.Out, importSummary(answer)+"\n")
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

// importSummary is one line of what the server imported: its counts in key
// order.
func importSummary(answer map[string]any) string {
	var parts []string
	for _, k := range sortedKeys(answer) {
		parts = append(parts, k+"="+valueText(answer[k]))
	}
	return "imported: " + strings.Join(parts, " ")
}
