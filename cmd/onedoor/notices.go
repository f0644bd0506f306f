package main

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/onedoor/onedoor/activities"
	"github.com/onedoor/onedoor/notice"
)

// The variables that configure the outbound notices (docs/notices.md).
const (
	envSMSURL        = "ONEDOOR_SMS_URL"              // the HTTP SMS gateway; the log when unset
	envSMSToken      = "ONEDOOR_SMS_TOKEN"            // bearer token of the gateway
	envWebhookURL    = "ONEDOOR_WEBHOOK_URL"          // where staff notices are posted; the log when unset
	envWebhookSecret = "ONEDOOR_WEBHOOK_SECRET"       // HMAC key of their signature; required with the URL
	envRetryInitial  = "ONEDOOR_NOTICE_RETRY_INITIAL" // wait before the second attempt
	envRetryBackoff  = "ONEDOOR_NOTICE_RETRY_BACKOFF" // factor each further wait grows by
	envRetryMax      = "ONEDOOR_NOTICE_RETRY_MAX"     // longest wait between attempts
	envRetryAttempts = "ONEDOOR_NOTICE_ATTEMPTS"      // attempts in all before a message fails
)

// noticesFromEnv is how the worker sends notices: the SMS gateway and the webhook the variables
// name, the log for a channel they leave unset, and the retry policy they change.
func noticesFromEnv(logger *slog.Logger) (*activities.Notices, error) {
	n := activities.DevNotices(logger)
	if u := os.Getenv(envSMSURL); u != "" {
		n.Senders[notice.ChannelSMS] = notice.SMS{URL: u, Token: os.Getenv(envSMSToken)}
	}
	if u := os.Getenv(envWebhookURL); u != "" {
		secret := os.Getenv(envWebhookSecret)
		if len(secret) < 16 {
			return nil, fmt.Errorf("%s is set: %s must be a secret of at least 16 characters the receiver checks signatures with", envWebhookURL, envWebhookSecret)
		}
		n.Senders[notice.ChannelWebhook] = notice.Webhook{URL: u, Secret: []byte(secret)}
	}
	for _, d := range []struct {
		env string
		to  *time.Duration
	}{{envRetryInitial, &n.Retry.Initial}, {envRetryMax, &n.Retry.Max}} {
		if v := os.Getenv(d.env); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x <= 0 {
				return nil, fmt.Errorf("%s=%q: want a positive duration such as 30s", d.env, v)
			}
			*d.to = x
		}
	}
	if v := os.Getenv(envRetryBackoff); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || x < 1 {
			return nil, fmt.Errorf("%s=%q: want a factor of 1 or more", envRetryBackoff, v)
		}
		n.Retry.Backoff = x
	}
	if v := os.Getenv(envRetryAttempts); v != "" {
		x, err := strconv.Atoi(v)
		if err != nil || x < 1 {
			return nil, fmt.Errorf("%s=%q: want a number of attempts, 1 or more", envRetryAttempts, v)
		}
		n.Retry.Attempts = x
	}
	if n.Retry.Max < n.Retry.Initial {
		n.Retry.Max = n.Retry.Initial
	}
	return n, nil
}
