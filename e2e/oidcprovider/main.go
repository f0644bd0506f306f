// Command oidcprovider is an OpenID Connect provider for the workbench's Playwright tests only
// (github.com/oauth2-proxy/mockoidc on loopback): it signs everyone in as one directory user at
// once, without a login form, and serves the workbench as a real provider would serve a public
// client: PKCE S256 required, no client secret, CORS for the workbench's origin. It prints its
// issuer URL on standard output and runs until stopped.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/oauth2-proxy/mockoidc"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "host:port to listen on")
	clientID := flag.String("client-id", "onedoor", "client id of the workbench, also the audience of the access tokens")
	subject := flag.String("subject", "clerk-sarula", "sub of every token: the directory user everyone signs in as")
	ttl := flag.Duration("ttl", 10*time.Minute, "lifetime of the access tokens")
	flag.Parse()

	m, err := mockoidc.NewServer(nil)
	if err != nil {
		log.Fatal(err)
	}
	m.ClientID, m.AccessTTL = *clientID, *ttl
	m.CodeChallengeMethodsSupported = []string{mockoidc.CodeChallengeMethodS256}
	if err := m.AddMiddleware(cors); err != nil {
		log.Fatal(err)
	}
	if err := m.AddMiddleware(func(next http.Handler) http.Handler { return publicClient(m, *subject, next) }); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Issuer())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	_ = m.Shutdown()
}

// cors lets the workbench, on another loopback port, read the discovery document and call the
// token endpoint from the browser, as a provider configured for a public client does.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// publicClient makes mockoidc, which knows only confidential clients, serve a public one: an
// authorization request must carry a PKCE S256 challenge (mockoidc alone accepts none), signs in
// as subject (or as the request's login_hint, so a test can be someone OneDoor does not know),
// and the token request, which has no secret, gets the client's filled in (mockoidc
// still checks the verifier against the challenge).
func publicClient(m *mockoidc.MockOIDC, subject string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case mockoidc.AuthorizationEndpoint:
			if r.FormValue("code_challenge") == "" || r.FormValue("code_challenge_method") != mockoidc.CodeChallengeMethodS256 {
				http.Error(w, "a public client must send a PKCE S256 code_challenge", http.StatusBadRequest)
				return
			}
			u := mockoidc.DefaultUser()
			u.Subject = subject
			if hint := r.FormValue("login_hint"); hint != "" {
				u.Subject = hint
			}
			u.PreferredUsername = u.Subject
			m.QueueUser(u)
		case mockoidc.TokenEndpoint:
			if err := r.ParseForm(); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			if r.PostForm.Get("client_secret") != "" {
				http.Error(w, "the workbench is a public client: it has no secret", http.StatusBadRequest)
				return
			}
			r.PostForm.Set("client_secret", m.ClientSecret)
			body := r.PostForm.Encode()
			r.Body = io.NopCloser(bytes.NewBufferString(body))
			r.ContentLength = int64(len(body))
			r.Form, r.PostForm = nil, nil
		}
		next.ServeHTTP(w, r)
	})
}
