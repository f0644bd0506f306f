package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/lookup"
)

// lookupFlags give the API the key of the resident lookup's hashes (一人多事, 重复访).
type lookupFlags struct {
	LookupKey     string `name:"lookup-key" env:"ONEDOOR_LOOKUP_KEY" help:"Key of the resident lookup: the resident ID and phone numbers of cases are kept for finding a resident's other matters only as HMAC-SHA256 hashes under it. At least 32 random bytes in base64 (openssl rand -base64 32); the same on every API node, and never changed (a new key finds none of the cases registered before it). dev: DIR/lookup-key."`
	LookupKeyFile string `name:"lookup-key-file" env:"ONEDOOR_LOOKUP_KEY_FILE" type:"path" help:"File holding the lookup key (instead of ONEDOOR_LOOKUP_KEY)."`
}

// key is the lookup key the flags name; devDir's when they name none and devDir is set.
func (f lookupFlags) key(devDir string) (*lookup.Key, error) {
	text := f.LookupKey
	switch {
	case f.LookupKey != "" && f.LookupKeyFile != "":
		return nil, errors.New("set ONEDOOR_LOOKUP_KEY or ONEDOOR_LOOKUP_KEY_FILE, not both")
	case f.LookupKeyFile != "":
		b, err := os.ReadFile(f.LookupKeyFile)
		if err != nil {
			return nil, fmt.Errorf("ONEDOOR_LOOKUP_KEY_FILE: %w", err)
		}
		text = string(b)
	case text == "" && devDir != "":
		return lookup.DevKey(devDir)
	case text == "":
		return nil, errors.New("the API needs ONEDOOR_LOOKUP_KEY (or ONEDOOR_LOOKUP_KEY_FILE), the key of the resident lookup: 32 random bytes in base64, e.g. from openssl rand -base64 32, the same on every API node")
	}
	k, err := lookup.ParseKey(text)
	if err != nil {
		return nil, fmt.Errorf("ONEDOOR_LOOKUP_KEY: %w", err)
	}
	return k, nil
}

// withLookup gives the API the key.
func withLookup(k *lookup.Key) func(*api.Server) {
	return func(as *api.Server) { as.Lookup = k }
}
