package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"rackflow/inventory"
)

// responseTypes are the Go types whose JSON each response schema describes.
var responseTypes = map[string]any{
	"RackList":        inventory.List[inventory.RackView]{},
	"RackDetail":      inventory.RackDetail{},
	"Elevation":       inventory.Elevation{},
	"ComponentList":   inventory.List[inventory.ComponentView]{},
	"ComponentDetail": inventory.ComponentDetail{},
	"DriftList":       inventory.List[inventory.DriftItem]{},
	"DriftSummary":    inventory.DriftSummary{},
	"CycleList":       inventory.List[inventory.Cycle]{},
	"Cycle":           inventory.Cycle{},
	"CycleAccepted":   cycleAccepted{},
	"EventList":       inventory.List[inventory.Event]{},
	"HeldDeleteList":  inventory.List[inventory.HeldDelete]{},
	"ImportResult":    inventory.ImportResult{},
	"ImportDocument":  inventory.ImportDocument{},
	"CycleRequest":    cycleRequest{},
	"Error":           ErrorBody{},
	"Readiness":       readiness{},
}

// fieldDocs describe fields whose JSON the Go type does not explain.
var fieldDocs = map[string]string{
	"steps": "The cycle's steps as stored: {\"mirror\": {\"rack\"|type: step}, \"actual\": {type: step}}. Each step " +
		"object carries its counters, and, when present, error, held (ids), optional_errors, flags, and the " +
		"timings duration_seconds, pull_seconds, plan_seconds and apply_seconds (numbers, seconds).",
	"changes":     "{field: {\"old\": value, \"new\": value}}",
	"description": "a JSON object",
	"location":    "a JSON object with keys region, datacenter, room and position",
	"next_cursor": "the cursor of the next page; empty on the last page",
}

func (s *Server) getOpenAPI(w http.ResponseWriter, _ *http.Request, _ *query) error {
	writeJSON(w, http.StatusOK, s.openAPI())
	return nil
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

// openAPI builds the OpenAPI 3.1 document from the route table and the
// response types.
func (s *Server) openAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.table() {
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = operation(rt)
	}
	for _, p := range []struct{ path, summary, schema string }{
		{"/healthz", "Liveness: 200 while the process serves HTTP", ""},
		{"/readyz", "Readiness: database reachable, schema current, last cycle recent (200 or 503 with the reason)", "Readiness"},
		{"/metrics", "Prometheus metrics (text format)", ""},
	} {
		paths[p.path] = map[string]any{"get": probe(p.summary, p.schema)}
	}
	schemas := map[string]any{}
	for name, v := range responseTypes {
		schemas[name] = schemaOf(reflect.TypeOf(v), "")
	}
	schemas["Plan"] = map[string]any{"type": "object", "description": "the dry run, as rackflow plan --json prints it"}
	schemas["OpenAPI"] = map[string]any{"type": "object"}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "rackflow API", "version": "1",
			"description": "Reads are open unless the server has RACKFLOW_API_READ_TOKEN; writes need RACKFLOW_API_TOKEN. " +
				"Lists answer {items, total, next_cursor}; repeated parameters combine with OR; unknown parameters are a 400."},
		"paths": paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
	}
}

func operation(rt route) map[string]any {
	params := []any{}
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"},
			"description": "an id (uuid); racks also take a name"})
	}
	for _, p := range rt.Params {
		params = append(params, queryParam(p))
	}
	ok := "200"
	if rt.Method == "POST" && rt.Pattern == "/v1/cycles" {
		ok = "202"
	}
	op := map[string]any{
		"summary":     rt.Summary,
		"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/v1/", "_", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Pattern),
		"parameters":  params,
		"responses": map[string]any{
			ok:        jsonResponse("OK", rt.Response),
			"400":     jsonResponse("invalid request; the message names the parameter or record", "Error"),
			"401":     jsonResponse("missing or wrong bearer token", "Error"),
			"404":     jsonResponse("not found", "Error"),
			"503":     jsonResponse("unavailable", "Error"),
			"default": jsonResponse("error", "Error"),
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
	if rt.Write {
		op["responses"].(map[string]any)["403"] = jsonResponse("write endpoints are disabled: the server has no RACKFLOW_API_TOKEN", "Error")
		op["responses"].(map[string]any)["409"] = jsonResponse("conflict", "Error")
		body := map[string]string{"/v1/import": "ImportDocument", "/v1/cycles": "CycleRequest"}[rt.Pattern]
		op["requestBody"] = map[string]any{"required": rt.Pattern == "/v1/import", "content": map[string]any{
			"application/json": map[string]any{"schema": ref(body)}}}
	} else {
		op["security"] = []any{map[string]any{}, map[string]any{"bearer": []any{}}}
	}
	return op
}

func queryParam(p Param) map[string]any {
	schema := map[string]any{"type": "string"}
	switch p.Type {
	case "integer", "boolean":
		schema["type"] = p.Type
	case "date-time":
		schema["format"] = "date-time"
	case "duration":
		schema["pattern"] = `^[0-9]+(d|[0-9.hms]*)$`
	}
	if len(p.Enum) > 0 {
		schema["enum"] = p.Enum
	}
	if p.Repeat {
		schema = map[string]any{"type": "array", "items": schema}
	}
	out := map[string]any{"name": p.Name, "in": "query", "schema": schema}
	if p.Repeat {
		out["style"], out["explode"] = "form", true
	}
	if p.Doc != "" {
		out["description"] = p.Doc
	}
	return out
}

func probe(summary, schema string) map[string]any {
	resp := map[string]any{"description": "OK"}
	if schema != "" {
		resp = jsonResponse("ready", schema)
	}
	return map[string]any{"summary": summary, "responses": map[string]any{"200": resp, "503": map[string]any{"description": "not ready"}}}
}

func jsonResponse(desc, schema string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": ref(schema)}}}
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// schemaOf describes the JSON encoding/json gives a value of t.
func schemaOf(t reflect.Type, field string) map[string]any {
	out := schemaOfType(t)
	if d := fieldDocs[field]; d != "" {
		out["description"] = d
	}
	return out
}

func schemaOfType(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOfType(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s["type"] = []any{typ, "null"}
		}
		return s
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOfType(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOfType(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props := map[string]any{}
		structFields(t, props)
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

// structFields adds the JSON fields of t, embedded structs included.
func structFields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			structFields(f.Type, props)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type, name)
	}
}
