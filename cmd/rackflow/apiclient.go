package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requestTimeout bounds each request of a read command or import; --all
// makes one request per page, each with its own bound.
const requestTimeout = 60 * time.Second

// apiClient talks to a running server's /v1 API on behalf of the read
// commands and import. Tokens go only into the Authorization header: they
// are never printed, not even in errors.
type apiClient struct {
	base       string // scheme://host[:port][/prefix], no trailing slash
	readToken  string // RACKFLOW_API_READ_TOKEN, else RACKFLOW_API_TOKEN
	writeToken string // RACKFLOW_API_TOKEN
	http       *http.Client
}

// newAPIClient checks the server URL and picks up the tokens from the
// environment.
func newAPIClient(o IO, server string) (*apiClient, error) {
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server %q is not an http:// or https:// URL", server)
	}
	write := o.Getenv("RACKFLOW_API_TOKEN")
	read := o.Getenv("RACKFLOW_API_READ_TOKEN")
	if read == "" {
		read = write
	}
	return &apiClient{base: u.String(), readToken: read, writeToken: write, http: &http.Client{}}, nil
}

// apiError is a refusal from the server: its status and its error envelope.
type apiError struct {
	Status  string // "400 Bad Request"
	Code    string // the envelope's code, when there is one
	Message string
	Hint    string // what the client can tell about the cause, such as a missing token
}

func (e *apiError) Error() string {
	status := e.Status
	if e.Code != "" {
		status += " (" + e.Code + ")"
	}
	msg := e.Message
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return fmt.Sprintf("server answered %s: %s", status, msg)
}

// decodeAPIError reads an error body: {"error": {"code", "message"}}, or
// the older {"error": "message"}.
func decodeAPIError(resp *http.Response) *apiError {
	e := &apiError{Status: resp.Status, Message: "no error message in the response"}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &body) != nil || len(body.Error) == 0 {
		return e
	}
	var text string
	if json.Unmarshal(body.Error, &text) == nil && text != "" {
		e.Message = text
		return e
	}
	var obj struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body.Error, &obj) == nil && (obj.Code != "" || obj.Message != "") {
		e.Code, e.Message = obj.Code, oneLine(obj.Message)
	}
	return e
}

// endpoint joins the base URL, a path under it and the query.
func (c *apiClient) endpoint(path string, q url.Values) string {
	s := c.base + path
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// do sends one request and returns the response when its status is 2xx;
// anything else becomes an *apiError, with a hint when no token was sent.
func (c *apiClient) do(req *http.Request, token string) (*http.Response, error) {
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach %s: %w", c.base, unwrapURLError(err))
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	e := decodeAPIError(resp)
	if resp.StatusCode == http.StatusUnauthorized && token == "" {
		e.Hint = "neither RACKFLOW_API_READ_TOKEN nor RACKFLOW_API_TOKEN is set here"
		if req.Method != http.MethodGet {
			e.Hint = "RACKFLOW_API_TOKEN is not set here"
		}
	}
	return nil, e
}

// get sends GET path?q with the read token, accepting the given media type.
// The caller closes the body.
func (c *apiClient) get(ctx context.Context, path string, q url.Values, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, q), nil)
	if err != nil {
		return nil, fmt.Errorf("building request to %s: %w", c.base, err)
	}
	req.Header.Set("Accept", accept)
	return c.do(req, c.readToken)
}

// getJSON decodes the JSON answer of GET path?q into v.
func (c *apiClient) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := c.get(ctx, path, q, "application/json")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("reading the answer of %s: %w", path, err)
	}
	return nil
}

// postJSON sends body to path with the write token and decodes the answer.
func (c *apiClient) postJSON(ctx context.Context, path string, body io.Reader, v any) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, nil), body)
	if err != nil {
		return fmt.Errorf("building request to %s: %w", c.base, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.do(req, c.writeToken)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("reading the answer of %s: %w", path, err)
	}
	return nil
}

// page is one list envelope. Items stay raw so that -o json prints them as
// the server sent them.
type page struct {
	Items      []json.RawMessage `json:"items"`
	Total      *int64            `json:"total"`
	NextCursor string            `json:"next_cursor"`
}

// eachPage fetches path?q and hands every page to fn; with all set it
// follows next_cursor until the server has no more. Only one page is held
// at a time.
func (c *apiClient) eachPage(ctx context.Context, path string, q url.Values, all bool, fn func(page) error) error {
	q = cloneValues(q)
	for {
		var p page
		if err := c.getJSON(ctx, path, q, &p); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if !all || p.NextCursor == "" || len(p.Items) == 0 {
			return nil
		}
		if err := advance(q, p.NextCursor); err != nil {
			return err
		}
	}
}

// eachCSVPage is eachPage for format=csv: the server sends the next cursor
// in the X-Next-Cursor header. fn reads the body while it streams in.
func (c *apiClient) eachCSVPage(ctx context.Context, path string, q url.Values, all bool, fn func(*bufio.Reader) error) error {
	q = cloneValues(q)
	q.Set("format", "csv")
	for {
		next, err := c.csvPage(ctx, path, q, fn)
		if err != nil || !all || next == "" {
			return err
		}
		if err := advance(q, next); err != nil {
			return err
		}
	}
}

func (c *apiClient) csvPage(ctx context.Context, path string, q url.Values, fn func(*bufio.Reader) error) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	resp, err := c.get(ctx, path, q, "text/csv")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		return "", fmt.Errorf("the server answered %s with %q, not CSV", path, ct)
	}
	return resp.Header.Get("X-Next-Cursor"), fn(bufio.NewReader(resp.Body))
}

// cursorParam is the query parameter that carries a list's next_cursor.
const cursorParam = "cursor"

// advance sets the cursor of the next page, refusing one that would fetch
// the same page again: --all must end.
func advance(q url.Values, next string) error {
	if q.Get(cursorParam) == next {
		return fmt.Errorf("the server sent the same next_cursor twice (%q); stopping", next)
	}
	q.Set(cursorParam, next)
	return nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// clientFlags are the flags every command that talks to the API shares.
type clientFlags struct {
	server string
}

func (c *clientFlags) register(fs *flag.FlagSet, o IO) {
	serverFlag(fs, o, &c.server)
}
