package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxImportFile bounds the file import reads; the server bounds the body too.
const maxImportFile = 64 << 20

// importDocument reads an import file and returns it as JSON. The format is
// chosen by the extension (.json, .yaml, .yml), else by the first
// character. Both formats reject duplicate keys; YAML rejects keys that are
// not strings, so that no record is silently merged or renamed.
func importDocument(name string, r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxImportFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(raw) > maxImportFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxImportFile>>20)
	}
	if isJSON(name, raw) {
		if err := checkJSON(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return raw, nil
	}
	doc, err := yamlToJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return doc, nil
}

func isJSON(name string, raw []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	return len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
}

// checkJSON accepts one JSON value whose objects have no repeated key.
func checkJSON(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := checkJSONValue(dec, "$"); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("invalid JSON: more than one value at offset %d", dec.InputOffset())
	}
	return nil
}

// checkJSONValue reads one value from dec, checking its objects' keys.
func checkJSONValue(dec *json.Decoder, at string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid JSON at %s: %w", at, err)
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return fmt.Errorf("invalid JSON at %s: %w", at, err)
			}
			key := k.(string)
			if seen[key] {
				return fmt.Errorf("duplicate key %q at %s", key, at)
			}
			seen[key] = true
			if err := checkJSONValue(dec, at+"."+key); err != nil {
				return err
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := checkJSONValue(dec, fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	default:
		return nil
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return fmt.Errorf("invalid JSON at %s: %w", at, err)
	}
	return nil
}

// yamlToJSON converts one YAML document to JSON. The YAML decoder itself
// rejects duplicate keys.
func yamlToJSON(raw []byte) ([]byte, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid YAML: more than one document")
	}
	v, err := yamlValue(&doc)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// yamlValue turns a node into the value JSON encodes.
func yamlValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		return yamlValue(n.Content[0])
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.MappingNode:
		return yamlMapping(n)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(c)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return yamlScalar(n)
}

func yamlMapping(n *yaml.Node) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			return nil, fmt.Errorf("line %d: key %q is not a string (quote it)", k.Line, k.Value)
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
		}
		val, err := yamlValue(v)
		if err != nil {
			return nil, err
		}
		out[k.Value] = val
	}
	return out, nil
}

// yamlScalar keeps numbers exact and timestamps as written.
func yamlScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, wrapScalar(n, err)
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, wrapScalar(n, err)
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, wrapScalar(n, err)
		}
		return f, nil
	case "!!str", "!!timestamp":
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: value %q has the unsupported tag %s", n.Line, n.Value, n.ShortTag())
}

func wrapScalar(n *yaml.Node, err error) error {
	if err != nil {
		return fmt.Errorf("line %d: value %q: %w", n.Line, n.Value, err)
	}
	return nil
}
