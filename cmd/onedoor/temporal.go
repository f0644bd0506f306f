package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"go.temporal.io/sdk/client"

	"github.com/onedoor/onedoor/codec"
)

// temporalTLSFlags say how to reach a Temporal frontend that requires TLS, and mutual TLS when
// it asks for a client certificate. Every command that dials Temporal from the environment
// (serve, api, worker, migrate, check) reads them.
type temporalTLSFlags struct {
	TLS        bool   `name:"temporal-tls" env:"TEMPORAL_TLS" help:"Connect to Temporal over TLS, trusting the system's CAs (implied by any other TEMPORAL_TLS_ variable)."`
	CA         string `name:"temporal-tls-ca" env:"TEMPORAL_TLS_CA" type:"path" help:"PEM file of the CA that signed the Temporal frontend's certificate (default: the system's CAs)."`
	Cert       string `name:"temporal-tls-cert" env:"TEMPORAL_TLS_CERT" type:"path" help:"PEM file of OneDoor's client certificate, for mutual TLS (with TEMPORAL_TLS_KEY); re-read on every new connection, so a renewed certificate needs no restart."`
	Key        string `name:"temporal-tls-key" env:"TEMPORAL_TLS_KEY" type:"path" help:"PEM file of the client certificate's private key."`
	ServerName string `name:"temporal-tls-server-name" env:"TEMPORAL_TLS_SERVER_NAME" help:"Name the frontend's certificate must carry (default: the host of TEMPORAL_ADDRESS)."`
}

// config is the TLS configuration the flags ask for; nil when they ask for none.
func (f temporalTLSFlags) config(address string) (*tls.Config, error) {
	if !f.TLS && f.CA == "" && f.Cert == "" && f.Key == "" && f.ServerName == "" {
		return nil, nil
	}
	if (f.Cert == "") != (f.Key == "") {
		return nil, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mutual TLS, or neither")
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: f.ServerName}
	if conf.ServerName == "" {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_ADDRESS %q: %w", address, err)
		}
		conf.ServerName = host
	}
	if f.CA != "" {
		b, err := os.ReadFile(f.CA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(b) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %s holds no PEM certificate", f.CA)
		}
	}
	if f.Cert != "" {
		// Loaded now, to fail at start on a bad pair, and again for every new connection.
		if _, err := tls.LoadX509KeyPair(f.Cert, f.Key); err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: %w", err)
		}
		conf.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			pair, err := tls.LoadX509KeyPair(f.Cert, f.Key)
			return &pair, err
		}
	}
	return conf, nil
}

// codecFlags say which keys seal the payloads OneDoor sends to Temporal (package codec).
type codecFlags struct {
	CodecKeys     string `name:"codec-keys" env:"ONEDOOR_CODEC_KEYS" help:"Key ring of the payload codec: keys as ID ALGORITHM BASE64-SECRET (aes-256-gcm: 32 bytes; sm4-gcm: 16), separated by ';', oldest first; the last seals new payloads, the others still open old ones."`
	CodecKeysFile string `name:"codec-keys-file" env:"ONEDOOR_CODEC_KEYS_FILE" type:"path" help:"File holding the key ring, one key a line (instead of ONEDOOR_CODEC_KEYS)."`
	NoCodec       bool   `name:"no-codec" env:"ONEDOOR_NO_CODEC" help:"Send payloads to Temporal unencrypted: residents' personal data are then readable in Temporal's database (not for production)."`
}

// codec is the payload codec the flags configure; nil with --no-codec.
func (f codecFlags) codec() (*codec.Codec, error) {
	text := f.CodecKeys
	switch {
	case f.NoCodec:
		return nil, nil
	case f.CodecKeys != "" && f.CodecKeysFile != "":
		return nil, errors.New("set ONEDOOR_CODEC_KEYS or ONEDOOR_CODEC_KEYS_FILE, not both")
	case f.CodecKeysFile != "":
		b, err := os.ReadFile(f.CodecKeysFile)
		if err != nil {
			return nil, fmt.Errorf("ONEDOOR_CODEC_KEYS_FILE: %w", err)
		}
		text = string(b)
	case text == "":
		return nil, errors.New("no payload keys: set ONEDOOR_CODEC_KEYS_FILE (or ONEDOOR_CODEC_KEYS) so that residents' personal data are encrypted in Temporal; see docs/operations.md")
	}
	keys, err := codec.ParseKeys(text)
	if err != nil {
		return nil, err
	}
	return codec.New(keys)
}

// withCodec makes a client, and the workers made from it, seal and open payloads with c.
func withCodec(c *codec.Codec) func(*client.Options) {
	return func(o *client.Options) {
		if c != nil {
			o.DataConverter, o.FailureConverter = c.DataConverter(), c.FailureConverter()
		}
	}
}

// dial connects to the Temporal frontend the flags name, over TLS when they ask for it, with
// the payload codec; opts add to the options (telemetry).
func (f temporalFlags) dial(ctx context.Context, logger *slog.Logger, opts ...func(*client.Options)) (client.Client, error) {
	conf, err := f.temporalTLSFlags.config(f.TemporalAddress)
	if err != nil {
		return nil, err
	}
	pc, err := f.codecFlags.codec()
	if err != nil {
		return nil, err
	}
	if pc == nil {
		logger.Warn("payloads go to Temporal unencrypted (--no-codec): not for production")
	}
	return dialTemporal(ctx, f.TemporalAddress, f.TemporalNamespace, logger, append([]func(*client.Options){func(o *client.Options) {
		o.ConnectionOptions.TLS = conf
	}, withCodec(pc)}, opts...)...)
}

// devCodec is the codec of the dev center's data folder, whose key ring it makes on first use.
func devCodec(data string) (func(*client.Options), error) {
	keys, err := codec.DevKeys(data)
	if err != nil {
		return nil, err
	}
	c, err := codec.New(keys)
	if err != nil {
		return nil, err
	}
	return withCodec(c), nil
}
