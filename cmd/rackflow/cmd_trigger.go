package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

func init() {
	commands["trigger"] = command{summary: "ask a running server for a cycle now", run: runTrigger}
}

const (
	defaultServer = "http://127.0.0.1:8080"
	// triggerTimeout bounds the whole request: the server answers at once and
	// runs the cycle afterwards.
	triggerTimeout = 30 * time.Second
)

// serverFlag registers --server (RACKFLOW_SERVER).
func serverFlag(fs *flag.FlagSet, o IO, dst *string) {
	fs.StringVar(dst, "server", env(o, "RACKFLOW_SERVER", defaultServer), "rackflow server URL (RACKFLOW_SERVER)")
}

func runTrigger(ctx context.Context, args []string, o IO) int {
	fs := newFlags("trigger", o)
	var server string
	var allow bool
	serverFlag(fs, o, &server)
	fs.BoolVar(&allow, "allow-mass-delete", false, "release deletes the mass-delete guard holds, for this one cycle")
	if ok, code := parseFlags(fs, args, o); !ok {
		return code
	}
	endpoint, err := cyclesURL(server)
	if err != nil {
		return fail(o, "trigger", err)
	}
	ctx, cancel := context.WithTimeout(ctx, triggerTimeout)
	defer cancel()
	if err := postCycle(ctx, endpoint, o.Getenv("RACKFLOW_API_TOKEN"), allow); err != nil {
		return fail(o, "trigger", err)
	}
	fmt.Fprintf(o.Out, "cycle requested (allow_mass_delete: %t)\n", allow)
	return 0
}

// cyclesURL returns the POST /v1/cycles URL of the server at base.
func cyclesURL(base string) (string, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("server %q is not an http:// or https:// URL", base)
	}
	return u.String() + "/v1/cycles", nil
}

// postCycle sends the request. The token goes only into the header: it is
// never printed, not even in errors.
func postCycle(ctx context.Context, endpoint, token string, allow bool) error {
	body, _ := json.Marshal(map[string]bool{"allow_mass_delete": allow})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("building request to %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach %s: %w", endpoint, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted {
		return nil
	}
	return refusal(resp, token == "")
}

// refusal turns a non-202 answer into one line: the status and the server's
// JSON error, with a hint when no token was sent.
func refusal(resp *http.Response, noToken bool) error {
	msg := serverError(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized && noToken {
		msg += " (RACKFLOW_API_TOKEN is not set here)"
	}
	return fmt.Errorf("server answered %s: %s", resp.Status, msg)
}

// serverError reads the {"error": {"code": "…", "message": "…"}} body of a
// refusal.
func serverError(r io.Reader) string {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	raw, _ := io.ReadAll(io.LimitReader(r, 64<<10))
	if err := json.Unmarshal(raw, &body); err != nil || body.Error.Message == "" {
		return "no error message in the response"
	}
	return body.Error.Message + " (" + body.Error.Code + ")"
}

// unwrapURLError drops net/http's "Post \"url\":" prefix, since the message
// already names the endpoint.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
