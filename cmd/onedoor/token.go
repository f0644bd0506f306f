package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/onedoor/onedoor/auth"
	"github.com/onedoor/onedoor/demo"
)

type tokenCmd struct {
	Data string        `default:".data" help:"Data folder of 'onedoor dev', which holds the signing key."`
	User string        `required:"" help:"Demo user id (admin, supervisor-banner, clerk-banner, clerk-galutu, ...)."`
	TTL  time.Duration `default:"720h" help:"How long the token is valid."`
}

func (c *tokenCmd) Run() error {
	if _, ok := demo.User(c.User); !ok {
		ids := make([]string, len(demo.Users))
		for i, u := range demo.Users {
			ids[i] = u.ID
		}
		return fmt.Errorf("no demo user %q; the demo users are: %s", c.User, strings.Join(ids, ", "))
	}
	key, err := auth.DevKey(c.Data)
	if err != nil {
		return err
	}
	token, err := auth.SignDev(key, c.User, c.TTL)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}
