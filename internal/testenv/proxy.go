package testenv

import (
	"net/url"
	"testing"

	"github.com/onedoor/onedoor/internal/tcpproxy"
)

// NewProxy starts a proxy to the host and port of the database URL, which a test cuts to show
// what a database outage does to whoever connects through it, and returns it with the URL
// through it. The proxy stops when the test ends.
func NewProxy(t testing.TB, databaseURL string) (*tcpproxy.Proxy, string) {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p, err := tcpproxy.Start(u.Host)
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	t.Cleanup(p.Close)
	u.Host = p.Addr()
	return p, u.String()
}
