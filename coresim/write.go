package coresim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// MarshalManifest writes m as YAML that ParseManifest reads back: sections in
// block style, one object per line in flow style. It writes directly rather
// than through the YAML library's encoder, which takes tens of seconds on a
// 2,000-rack site; strings are quoted the JSON way, which YAML reads as
// double-quoted scalars.
func MarshalManifest(w io.Writer, m *Manifest) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "version: %d\n", m.Version)
	if line := flowMap(reflect.ValueOf(m.Core)); line != "{}" {
		fmt.Fprintf(bw, "core: %s\n", line)
	}
	writeSection(bw, "expected", reflect.ValueOf(m.Expected))
	writeSection(bw, "actual", reflect.ValueOf(m.Actual))
	writeList(bw, "", "faults", reflect.ValueOf(m.Faults))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("manifest: write: %w", err)
	}
	return nil
}

// writeSection writes a struct of lists, such as expected or actual.
func writeSection(w *bufio.Writer, name string, v reflect.Value) {
	if v.IsZero() {
		return
	}
	fmt.Fprintf(w, "%s:\n", name)
	for i := range v.NumField() {
		writeList(w, "  ", yamlName(v.Type().Field(i)), v.Field(i))
	}
}

func writeList(w *bufio.Writer, indent, name string, list reflect.Value) {
	if list.Len() == 0 {
		return
	}
	fmt.Fprintf(w, "%s%s:\n", indent, name)
	for i := range list.Len() {
		fmt.Fprintf(w, "%s  - %s\n", indent, flowMap(list.Index(i)))
	}
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

var labelsType = reflect.TypeFor[Labels]()

// flowMap writes a struct as a flow mapping, leaving out zero optional
// fields (a manifest gives them no meaning) and fields not written in YAML.
// Required keys, those without omitempty, are always written.
func flowMap(v reflect.Value) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name := yamlName(f)
		optional := strings.Contains(f.Tag.Get("yaml"), ",omitempty")
		if name == "-" || !f.IsExported() || optional && v.Field(i).IsZero() {
			continue
		}
		if b.Len() > 1 {
			b.WriteString(", ")
		}
		b.WriteString(name + ": " + flowValue(v.Field(i)))
	}
	b.WriteByte('}')
	return b.String()
}

func flowValue(v reflect.Value) string {
	if v.Type() == labelsType {
		return flowLabels(v.Interface().(Labels))
	}
	if d, ok := v.Interface().(Duration); ok {
		return quote(d.String())
	}
	switch v.Kind() {
	case reflect.Pointer:
		return flowValue(v.Elem())
	case reflect.String:
		return quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Slice:
		items := make([]string, v.Len())
		for i := range items {
			items[i] = flowValue(v.Index(i))
		}
		return "[" + strings.Join(items, ", ") + "]"
	case reflect.Struct:
		return flowMap(v)
	}
	panic(fmt.Sprintf("coresim: cannot write %s", v.Type()))
}

// flowLabels writes labels as a map, or as a list when a key repeats.
func flowLabels(l Labels) string {
	seen := make(map[string]bool, len(l))
	repeated := false
	for _, lab := range l {
		repeated = repeated || seen[lab.Key]
		seen[lab.Key] = true
	}
	items := make([]string, len(l))
	for i, lab := range l {
		val := "null"
		if lab.Value != nil {
			val = quote(*lab.Value)
		}
		switch {
		case !repeated:
			items[i] = quote(lab.Key) + ": " + val
		case lab.Value == nil:
			items[i] = "{key: " + quote(lab.Key) + "}"
		default:
			items[i] = "{key: " + quote(lab.Key) + ", value: " + val + "}"
		}
	}
	if repeated {
		return "[" + strings.Join(items, ", ") + "]"
	}
	return "{" + strings.Join(items, ", ") + "}"
}

// quote writes s as a JSON string, which is a valid YAML double-quoted scalar.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// String writes the duration as "2s".
func (d Duration) String() string { return time.Duration(d).String() }
