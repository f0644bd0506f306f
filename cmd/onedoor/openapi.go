package main

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/demo"
)

type openapiCmd struct {
	Dev bool `help:"Include the operations only 'onedoor dev' serves (the demo users' sign-in), as the workbench's client needs them."`
}

// Run prints the document the server serves at /openapi.json. Registering the operations
// touches neither PostgreSQL nor Temporal, so a server without them writes it.
func (c *openapiCmd) Run() error {
	s := &api.Server{Logger: slog.New(slog.DiscardHandler)}
	if c.Dev {
		s.DevSignIn = &api.DevSignIn{Users: demo.Users}
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if w.Code != http.StatusOK {
		return fmt.Errorf("GET /openapi.json answered %d: %s", w.Code, w.Body)
	}
	_, err := io.Copy(os.Stdout, w.Body)
	return err
}
