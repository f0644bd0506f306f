package api

import (
	"net"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/realclientip/realclientip-go"
)

// clientAddr is the address of the client a request came from, as the rate limits count it:
// the connection's peer; or, when that peer is one of the TrustedProxies (a government
// gateway, an nginx in front of the API), the rightmost address of X-Forwarded-For that is not
// one of them, which is the address the first trusted proxy saw. A client that reaches the API
// directly cannot choose its bucket by sending X-Forwarded-For: the header counts only from a
// trusted peer.
func (s *Server) clientAddr(ctx huma.Context) string {
	host, _, err := net.SplitHostPort(ctx.RemoteAddr())
	if err != nil {
		host = ctx.RemoteAddr()
	}
	if s.forwarded == nil {
		return host
	}
	peer := net.ParseIP(host)
	if peer == nil || !trusted(peer, s.TrustedProxies) {
		return host
	}
	forwarded := http.Header{}
	ctx.EachHeader(func(name, value string) {
		if http.CanonicalHeaderKey(name) == "X-Forwarded-For" {
			forwarded.Add(name, value)
		}
	})
	if ip := s.forwarded.ClientIP(forwarded, ctx.RemoteAddr()); ip != "" {
		return ip
	}
	return host // a trusted proxy that forwarded no address (a health check): its own
}

func trusted(ip net.IP, ranges []net.IPNet) bool {
	for _, r := range ranges {
		if r.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads the addresses and CIDR ranges of ONEDOOR_TRUSTED_PROXIES.
func ParseTrustedProxies(list []string) ([]net.IPNet, error) {
	return realclientip.AddressesAndRangesToIPNets(list...)
}
