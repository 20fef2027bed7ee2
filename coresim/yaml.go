package coresim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decodeStrict decodes a mapping node into out (a pointer to a struct without
// its own UnmarshalYAML), rejecting keys the struct does not declare and
// reporting missing required keys, each with its line. Nested types check
// their own keys the same way, so the whole document is strict.
func decodeStrict(node *yaml.Node, what string, out any, required ...string) error {
	if node.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s: want a mapping, found %s", node.Line, what, kindName(node))
	}
	allowed := yamlKeys(reflect.TypeOf(out).Elem())
	seen := make(map[string]bool, len(node.Content)/2)
	for i := 0; i+1 < len(node.Content); i += 2 {
		k := node.Content[i]
		if !slices.Contains(allowed, k.Value) {
			return fmt.Errorf("line %d: %s: unknown key %q (known keys: %s)", k.Line, what, k.Value, strings.Join(allowed, ", "))
		}
		seen[k.Value] = true
	}
	for _, r := range required {
		if !seen[r] {
			return fmt.Errorf("line %d: %s: missing required key %q", node.Line, what, r)
		}
	}
	return node.Decode(out)
}

// yamlKeys lists the YAML keys of a struct type, in field order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys = append(keys, name)
	}
	return keys
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "something else"
}

// UnmarshalYAML reads a manifest strictly.
func (m *Manifest) UnmarshalYAML(node *yaml.Node) error {
	type plain Manifest
	return decodeStrict(node, "manifest", (*plain)(m), "version")
}

// UnmarshalYAML reads the core section strictly.
func (c *CoreConfig) UnmarshalYAML(node *yaml.Node) error {
	type plain CoreConfig
	return decodeStrict(node, "core", (*plain)(c))
}

// UnmarshalYAML reads the expected section strictly.
func (e *Expected) UnmarshalYAML(node *yaml.Node) error {
	type plain Expected
	return decodeStrict(node, "expected", (*plain)(e))
}

// UnmarshalYAML reads the actual section strictly.
func (a *Actual) UnmarshalYAML(node *yaml.Node) error {
	type plain Actual
	return decodeStrict(node, "actual", (*plain)(a))
}

// UnmarshalYAML reads an expected rack strictly.
func (r *ExpectedRack) UnmarshalYAML(node *yaml.Node) error {
	type plain ExpectedRack
	r.Line = node.Line
	return decodeStrict(node, "expected rack", (*plain)(r))
}

// UnmarshalYAML reads an expected component strictly.
func (c *ExpectedComponent) UnmarshalYAML(node *yaml.Node) error {
	type plain ExpectedComponent
	c.Line = node.Line
	return decodeStrict(node, "expected component", (*plain)(c), "bmc_mac", "serial")
}

// UnmarshalYAML reads an actual machine strictly.
func (m *ActualMachine) UnmarshalYAML(node *yaml.Node) error {
	type plain ActualMachine
	m.Line = node.Line
	return decodeStrict(node, "actual machine", (*plain)(m), "id", "type", "bmc_mac")
}

// UnmarshalYAML reads a position strictly.
func (p *Position) UnmarshalYAML(node *yaml.Node) error {
	type plain Position
	return decodeStrict(node, "position", (*plain)(p))
}

// UnmarshalYAML reads an actual switch or power shelf strictly.
func (d *ActualDevice) UnmarshalYAML(node *yaml.Node) error {
	type plain ActualDevice
	d.Line = node.Line
	return decodeStrict(node, "actual device", (*plain)(d), "id")
}

// UnmarshalYAML reads a fault strictly.
func (f *Fault) UnmarshalYAML(node *yaml.Node) error {
	type plain Fault
	f.Line = node.Line
	return decodeStrict(node, "fault", (*plain)(f), "rpc")
}

// UnmarshalYAML reads a duration such as "2s" or "150ms".
func (d *Duration) UnmarshalYAML(node *yaml.Node) error {
	v, err := time.ParseDuration(node.Value)
	if node.Kind != yaml.ScalarNode || err != nil || v < 0 {
		return fmt.Errorf("line %d: delay: want a duration such as 2s, found %q", node.Line, node.Value)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalYAML reads labels written as a map (key: value, a null value
// being an unset label) or as a list of {key, value}, which can repeat keys.
func (l *Labels) UnmarshalYAML(node *yaml.Node) error {
	switch node.Kind {
	case yaml.MappingNode:
		return l.fromMap(node)
	case yaml.SequenceNode:
		return l.fromList(node)
	case yaml.ScalarNode:
		if node.Tag == "!!null" {
			*l = nil
			return nil
		}
	}
	return fmt.Errorf("line %d: labels: want a map or a list, found %s", node.Line, kindName(node))
}

func (l *Labels) fromMap(node *yaml.Node) error {
	out := make(Labels, 0, len(node.Content)/2)
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		val, err := labelValue(k.Value, v)
		if err != nil {
			return err
		}
		out = append(out, Label{Key: k.Value, Value: val})
	}
	*l = out
	return nil
}

func (l *Labels) fromList(node *yaml.Node) error {
	out := make(Labels, 0, len(node.Content))
	for _, item := range node.Content {
		if item.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: label: want {key, value}, found %s", item.Line, kindName(item))
		}
		lab, err := labelEntry(item)
		if err != nil {
			return err
		}
		out = append(out, lab)
	}
	*l = out
	return nil
}

// labelEntry reads one {key, value} item of the list form.
func labelEntry(item *yaml.Node) (Label, error) {
	var lab Label
	hasKey := false
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		switch k.Value {
		case "key":
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				return lab, fmt.Errorf("line %d: label: key must be a string", v.Line)
			}
			lab.Key, hasKey = v.Value, true
		case "value":
			val, err := labelValue(lab.Key, v)
			if err != nil {
				return lab, err
			}
			lab.Value = val
		default:
			return lab, fmt.Errorf("line %d: label: unknown key %q (known keys: key, value)", k.Line, k.Value)
		}
	}
	if !hasKey {
		return lab, fmt.Errorf("line %d: label: missing required key \"key\"", item.Line)
	}
	return lab, nil
}

// labelValue reads a label's value: any scalar, as written; null is unset.
func labelValue(key string, v *yaml.Node) (*string, error) {
	if v.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("line %d: label %q: value must be a scalar, found %s", v.Line, key, kindName(v))
	}
	if v.Tag == "!!null" {
		return nil, nil
	}
	s := v.Value
	return &s, nil
}
