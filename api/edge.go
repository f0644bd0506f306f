package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// This file is the API's edge: what every request passes before a handler sees it, and what
// catches a handler that panics. Text that PostgreSQL cannot store (U+0000), that no person
// types (other C0 control characters) or that is not UTF-8 at all is refused here, once, for
// every operation: a workflow must never be started or updated with text its activities cannot
// write, or the case is lost.

// badText says what is wrong with s as text a person could have written: a C0 control character
// other than tab, line feed and carriage return, or bytes that are not UTF-8. It is "" for good
// text.
func badText(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("is not valid UTF-8 (byte 0x%02X at byte %d)", s[i], i)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return fmt.Sprintf("contains the control character U+%04X at byte %d; only tab, line feed and carriage return are allowed", r, i)
		}
		i += size
	}
	return ""
}

// edge refuses a request whose path parameters, query or declared headers (400) or whose JSON
// body (422) hold bad text, naming each place (query.q, path.case, body.data.facts), and answers
// 400 instead of 500 when the body cannot be read (a broken chunked encoding, a client that hangs
// up). It runs after authentication, so an anonymous caller learns nothing about the operation's
// input.
func (s *Server) edge(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		if op == nil {
			next(ctx)
			return
		}
		if details := badParams(ctx, op); len(details) > 0 {
			_ = huma.WriteErr(api, ctx, http.StatusBadRequest, "the request's parameters have text that is not allowed", details...)
			return
		}
		if op.RequestBody == nil {
			next(ctx)
			return
		}
		body, status, err := readBody(ctx, op)
		if err != nil {
			_ = huma.WriteErr(api, ctx, status, err.Error())
			return
		}
		if isMultipart(ctx.Header("Content-Type")) && op.MaxBodyBytes > 0 && int64(len(body)) >= op.MaxBodyBytes {
			// huma limits the JSON bodies it reads, not the multipart forms: a cut form would
			// be answered as malformed.
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the request body is too large: at most %d bytes", op.MaxBodyBytes))
			return
		}
		if isJSON(ctx.Header("Content-Type")) {
			if details := badJSONText(body); len(details) > 0 {
				_ = huma.WriteErr(api, ctx, http.StatusUnprocessableEntity, "the request body has text that is not allowed", details...)
				return
			}
		}
		next(&bodyContext{humaContext: ctx, body: bytes.NewReader(body)})
	}
}

// badParams checks every query parameter (declared or not: names and values), every path
// parameter and every header the operation declares.
func badParams(ctx huma.Context, op *huma.Operation) []error {
	var details []error
	u := ctx.URL()
	query, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		details = append(details, &huma.ErrorDetail{Location: "query", Message: "the query string is malformed: " + err.Error()})
	}
	names := make([]string, 0, len(query))
	for name := range query {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if why := badText(name); why != "" {
			details = append(details, &huma.ErrorDetail{Location: "query", Message: fmt.Sprintf("the parameter name %q %s", name, why)})
			continue
		}
		for _, v := range query[name] {
			if why := badText(v); why != "" {
				details = append(details, &huma.ErrorDetail{Location: "query." + name, Message: "the value " + why})
				break
			}
		}
	}
	for _, p := range op.Parameters {
		var v string
		switch p.In {
		case "path":
			v = ctx.Param(p.Name)
		case "header":
			v = ctx.Header(p.Name)
		default:
			continue
		}
		if why := badText(v); why != "" {
			details = append(details, &huma.ErrorDetail{Location: p.In + "." + p.Name, Message: "the value " + why})
		}
	}
	return details
}

// bodyReadTimeout is how long a client has to send a request body.
const bodyReadTimeout = 5 * time.Second

// metaBodyReadTimeout names an operation's own bodyReadTimeout in its Metadata (an upload's);
// huma's BodyReadTimeout is -1 for every operation (Config).
const metaBodyReadTimeout = "onedoor.bodyReadTimeout"

// isMultipart reports whether a Content-Type is a multipart one (an upload's form).
func isMultipart(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(mt)), "multipart/")
}

// readBody reads the request body as huma would, under the operation's read timeout and size
// limit, so that a body that cannot be read is the client's 400 (or 408), not a 500. A body of
// the size limit or more is passed on as read: huma answers it 413.
func readBody(ctx huma.Context, op *huma.Operation) ([]byte, int, error) {
	timeout := op.BodyReadTimeout
	if d, ok := op.Metadata[metaBodyReadTimeout].(time.Duration); ok {
		timeout = d
	}
	if timeout <= 0 {
		timeout = bodyReadTimeout
	}
	_ = ctx.SetReadDeadline(time.Now().Add(timeout))
	// Lifted once the body is in: a deadline left on the connection cancels a request whose
	// handler outlives it.
	defer func() { _ = ctx.SetReadDeadline(time.Time{}) }()
	r := ctx.BodyReader()
	if r == nil {
		return nil, 0, nil
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	if op.MaxBodyBytes > 0 {
		r = io.LimitReader(r, op.MaxBodyBytes)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, http.StatusRequestTimeout, errors.New("the request body was not received in time")
		}
		return nil, http.StatusBadRequest, fmt.Errorf("the request body cannot be read: %w", err)
	}
	return body, 0, nil
}

// isJSON reports whether huma reads a body of this Content-Type as JSON: no type, or
// application/json or any type/subtype+json, with any parameters. Bodies of other types are
// refused by huma (415): JSON is the API's only format.
func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	if _, suffix, ok := strings.Cut(mt, "+"); ok {
		mt = suffix
	}
	mt = strings.TrimSpace(mt)
	return mt == "" || mt == "application/json" || mt == "json"
}

// badJSONText walks a JSON text token by token and locates each string, object key or value,
// that is bad text, as huma locates a field (body.data.facts, body.items[2]). The raw bytes of
// each string are checked too: the decoder would silently turn bytes that are not UTF-8 into
// U+FFFD. A text that is not JSON is left to huma, which answers it 400.
func badJSONText(body []byte) []error {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var (
		stack   []frame
		details []error
		prev    int64
	)
	location := func(stack []frame) string {
		var b strings.Builder
		b.WriteString("body")
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else {
				b.WriteString("." + f.key)
			}
		}
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for len(details) < 20 {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		end := dec.InputOffset()
		raw := body[prev:end]
		prev = end
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			why := badText(v)
			if why == "" && !utf8.Valid(raw) {
				// Where in the string literal as sent: after its opening quote.
				why = badText(string(raw[bytes.IndexByte(raw, '"')+1:]))
			}
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
				stack[n-1].wantKey = false
				stack[n-1].key = v
				if why != "" {
					details = append(details, &huma.ErrorDetail{Location: location(stack[:n-1]),
						Message: fmt.Sprintf("the key %q %s", v, why)})
				}
				continue
			}
			if why != "" {
				details = append(details, &huma.ErrorDetail{Location: location(stack), Message: "the text " + why})
			}
			valueDone()
		default:
			valueDone()
		}
	}
	return details
}

// humaContext lets a wrapper embed huma.Context, whose Context method a field named Context
// would hide.
type humaContext = huma.Context

// bodyContext hands the operation the body edge has already read.
type bodyContext struct {
	humaContext
	body io.Reader
}

func (c *bodyContext) BodyReader() io.Reader { return c.body }

// multipartMemory is how much of a multipart form is kept in memory; the rest goes to temporary
// files, which the operation removes (form.RemoveAll).
const multipartMemory = 32 << 20

// GetMultipartForm parses the body edge has already read as the multipart form it is: the
// adapter's own would read the request's body again, which is spent.
func (c *bodyContext) GetMultipartForm() (*multipart.Form, error) {
	_, params, err := mime.ParseMediaType(c.Header("Content-Type"))
	if err != nil {
		return nil, err
	}
	if params["boundary"] == "" {
		return nil, http.ErrMissingBoundary
	}
	return multipart.NewReader(c.body, params["boundary"]).ReadForm(multipartMemory)
}

// Unwrap is the context bodyContext wraps, for adapters that look for their own.
func (c *bodyContext) Unwrap() huma.Context { return c.humaContext }

// recoverPanics answers a handler's panic with a 500 problem whose error id names the log line
// that holds the panic and its stack. The status line is held back until the body's first byte,
// so a panic while huma writes the answer (a value JSON cannot encode) is still a clean 500 that
// the request log records as such. A panic after the body has begun can only cut the answer
// short: the connection is aborted, so the client cannot take it for a whole one.
func (s *Server) recoverPanics(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		held := &heldStatus{humaContext: ctx}
		defer func() {
			v := recover()
			if v == nil {
				held.send()
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			id := uuid.NewString()
			s.Logger.ErrorContext(ctx.Context(), "panic", "error_id", id, "request", ctx.Method()+" "+ctx.URL().Path,
				"status", http.StatusInternalServerError, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if held.sent {
				panic(http.ErrAbortHandler)
			}
			_ = huma.WriteErr(api, ctx, http.StatusInternalServerError, "internal error "+id+": the details are in the server log")
		}()
		next(held)
	}
}

// heldStatus is a context whose status line is sent with the first byte of the body, or when the
// operation ends without a body.
type heldStatus struct {
	humaContext
	status int
	sent   bool
	// pending is what huma writes before it panics on an answer it cannot encode (see
	// humaFailures), held so that the panic can still be answered 500.
	pending []byte
}

// humaFailures are what huma writes into the body just before it panics because a response could
// not be transformed or marshalled (transformAndWrite in huma.go).
var humaFailures = [][]byte{[]byte("error marshaling response"), []byte("error transforming response")}

func (c *heldStatus) SetStatus(code int) {
	c.status = code
	if c.sent {
		c.humaContext.SetStatus(code) // too late to change; net/http logs the superfluous call
	}
}

func (c *heldStatus) Status() int { return c.status }

func (c *heldStatus) send() {
	if c.sent {
		return
	}
	c.sent = true
	if c.status != 0 {
		c.humaContext.SetStatus(c.status)
	}
	if len(c.pending) > 0 {
		_, _ = c.humaContext.BodyWriter().Write(c.pending)
	}
}

func (c *heldStatus) BodyWriter() io.Writer { return heldWriter{c} }

// Unwrap is the context heldStatus wraps, for adapters that look for their own.
func (c *heldStatus) Unwrap() huma.Context { return c.humaContext }

// heldWriter sends the held status before the first byte of the body.
type heldWriter struct{ c *heldStatus }

func (w heldWriter) Write(p []byte) (int, error) {
	if !w.c.sent && slices.ContainsFunc(humaFailures, func(f []byte) bool { return bytes.Equal(p, f) }) {
		w.c.pending = append(w.c.pending, p...)
		return len(p), nil
	}
	w.c.send()
	return w.c.humaContext.BodyWriter().Write(p)
}

// Unwrap is the response writer underneath, for a streaming operation that sets write deadlines
// (server-sent events); nil when the adapter's body writer is not one.
func (w heldWriter) Unwrap() http.ResponseWriter {
	rw, _ := w.c.humaContext.BodyWriter().(http.ResponseWriter)
	return rw
}

// Flush passes a streaming operation's flush on, with the status if nothing was written yet.
func (w heldWriter) Flush() {
	w.c.send()
	if f, ok := w.c.humaContext.BodyWriter().(http.Flusher); ok {
		f.Flush()
	}
}
