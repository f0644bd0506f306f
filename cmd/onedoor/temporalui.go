package main

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	"github.com/temporalio/ui-server/v2/server/server_options"
)

// temporalUI is the Temporal Web UI that `onedoor dev` serves for developers
// (github.com/temporalio/ui-server, its assets embedded), pointed at the embedded Temporal.
type temporalUI struct {
	srv  *uiserver.Server
	addr string
}

// startTemporalUI serves the UI on host:port for the Temporal frontend at frontend, opening the
// namespace given. The UI server's own start ends the process when its port is taken, so the
// port is tried first: a busy port is an error here, and the caller goes on without the UI.
func startTemporalUI(logger *slog.Logger, host string, port int, frontend, namespace string) (*temporalUI, error) {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("temporal UI: %w", err)
	}
	if port == 0 {
		port = l.Addr().(*net.TCPAddr).Port
		addr = net.JoinHostPort(host, strconv.Itoa(port))
	}
	_ = l.Close()
	cfg := &uiconfig.Config{
		Host: host, Port: port, TemporalGRPCAddress: frontend, EnableUI: true,
		DefaultNamespace: namespace, HideLogs: true,
		// Plain HTTP on loopback: the CSRF cookie must not ask for HTTPS.
		CORS: uiconfig.CORS{CookieInsecure: true},
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("temporal UI: %w", err)
	}
	ui := &temporalUI{srv: uiserver.NewServer(server_options.WithConfigProvider(cfg)), addr: addr}
	go func() {
		if err := ui.srv.Start(); err != nil {
			logger.Warn("Temporal UI stopped", "err", err)
		}
	}()
	return ui, nil
}

// Stop closes the UI's listener.
func (u *temporalUI) Stop() {
	if u != nil {
		u.srv.Stop()
	}
}
