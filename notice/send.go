package notice

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Message is one notice as an adapter sends it: its outbox id (the receiver's key to drop a
// repeat), its channel, template and recipient, and its text.
type Message struct {
	ID        string `json:"id"`
	Channel   string `json:"channel"`
	Template  Key    `json:"template"`
	Recipient string `json:"recipient"`
	Text      string `json:"text"`
	Case      string `json:"case_number"`
}

// Sender delivers a message. An error means this attempt failed and may be retried, unless it
// is a PermanentError: a message the receiver will never take.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// PermanentError is a refusal retrying cannot change (a gateway's 4xx): the message fails at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent reports whether err is a PermanentError.
func Permanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// Log is the development adapter: it writes each message to the log, the phone number masked,
// and delivers nothing; the outbox page (发送记录) shows the message and its attempt.
type Log struct{ Logger *slog.Logger }

// Send logs the message.
func (l Log) Send(ctx context.Context, m Message) error {
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "notice (dev adapter: not sent)", "id", m.ID, "channel", m.Channel, "template", m.Template,
		"to", Mask(m.Recipient), "case", m.Case, "text", m.Text)
	return nil
}

// SMS is the adapter of a generic HTTP SMS gateway: it POSTs {"id", "to", "text", "template"}
// as JSON to URL, with Token as a bearer token when set, and the message id as Idempotency-Key.
// A 2xx answer is delivery; 408, 429 and 5xx, or no answer, a failed attempt to retry; any
// other status a permanent refusal. Chinese SMS providers send only texts whose template they
// have approved: the gateway maps ours to theirs (docs/notices.md).
type SMS struct {
	URL    string
	Token  string
	Client *http.Client
}

// Send posts the message to the gateway.
func (s SMS) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(map[string]any{"id": m.ID, "to": m.Recipient, "text": m.Text, "template": m.Template})
	if err != nil {
		return err
	}
	h := http.Header{}
	if s.Token != "" {
		h.Set("Authorization", "Bearer "+s.Token)
	}
	return post(ctx, s.Client, s.URL, body, m.ID, h)
}

// Webhook is the adapter of the staff notices: it POSTs the message as JSON to URL, signed so
// the receiver can check it came from OneDoor unchanged (SignatureHeader, Verify).
type Webhook struct {
	URL    string
	Secret []byte
	Client *http.Client
	// Now is the clock of the signature's timestamp; time.Now when nil.
	Now func() time.Time
}

// The headers of a signed webhook request.
const (
	TimestampHeader = "OneDoor-Timestamp" // Unix seconds when the request was signed
	SignatureHeader = "OneDoor-Signature" // sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))
)

// Send posts the signed message.
func (w Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	h := http.Header{}
	h.Set(TimestampHeader, ts)
	h.Set(SignatureHeader, Sign(w.Secret, ts, body))
	return post(ctx, w.Client, w.URL, body, m.ID, h)
}

// Sign is the signature of a webhook body sent at the timestamp (Unix seconds, as sent in
// TimestampHeader): "sha256=" and the hex HMAC-SHA256 of timestamp, ".", body.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify is the receiver's check of a webhook request: the signature is the body's at the
// timestamp, and the timestamp within tolerance of now, so that a request recorded on the way
// cannot be replayed later.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("bad %s %q", TimestampHeader, timestamp)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%s %s is %s away from now", TimestampHeader, timestamp, d.Round(time.Second))
	}
	if !hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature)) {
		return errors.New("the signature does not match the body")
	}
	return nil
}

// post sends a JSON body and reads the answer as the SMS and webhook adapters do.
func post(ctx context.Context, c *http.Client, url string, body []byte, id string, h http.Header) error {
	if c == nil {
		c = &http.Client{Timeout: 20 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return &PermanentError{Err: err}
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Idempotency-Key", id)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("%s answered %s: %s", req.URL.Host, resp.Status, bytes.TrimSpace(answer))
	}
	return &PermanentError{Err: fmt.Errorf("%s refused the message, %s: %s", req.URL.Host, resp.Status, bytes.TrimSpace(answer))}
}
