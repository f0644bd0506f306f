package main

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/store"
)

// gridSourcesCmd groups the commands on the grid systems that post grid events.
type gridSourcesCmd struct {
	Add  gridSourceAddCmd  `cmd:"" help:"Add a grid system that posts grid events (POST /v1/grid/events) and print its token, once: only its SHA-256 is kept (needs DATABASE_URL, after onedoor migrate)."`
	List gridSourceListCmd `cmd:"" help:"List the grid sources: code, name and the units they report for (never their tokens)."`
}

type gridSourceAddCmd struct {
	databaseFlags
	Code  string   `arg:"" help:"The source's code: 2 to 32 lower-case letters, digits and -, starting with a letter (wushen-grid)."`
	Name  string   `arg:"" help:"The source's name (乌审旗网格化管理平台)."`
	Units []string `name:"units" required:"" sep:"," help:"The org units whose grids it reports for, comma-separated: a county's government unit for the whole county, a town or a village for part of it."`
}

var gridSourceCodeRe = regexp.MustCompile(`^[a-z][a-z0-9-]{1,31}$`)

func (c *gridSourceAddCmd) Run(ctx context.Context, logger *slog.Logger) error {
	if !gridSourceCodeRe.MatchString(c.Code) {
		return fmt.Errorf("the code %q must be 2 to 32 lower-case letters, digits and -, starting with a letter", c.Code)
	}
	if strings.TrimSpace(c.Name) == "" {
		return fmt.Errorf("the source needs a name")
	}
	s, err := openStore(ctx, c.DatabaseURL, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, u := range c.Units {
		if _, err := s.OrgUnit(ctx, u); onedoor.ErrorCode(err) == onedoor.ENotFound {
			return fmt.Errorf("--units: no org unit has the code %q", u)
		} else if err != nil {
			return err
		}
	}
	token, hash := api.NewGridToken()
	src, err := s.AddGridSource(ctx, store.GridSource{Code: c.Code, Name: c.Name, Units: c.Units}, hash)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "grid source %s (%s) reports for the grids below %s.\n"+
		"Its token follows, on standard output: give it to the grid system now; it is not shown again.\n",
		src.Code, src.Name, strings.Join(src.Units, ", "))
	fmt.Println(token)
	return nil
}

type gridSourceListCmd struct {
	databaseFlags
}

func (c *gridSourceListCmd) Run(ctx context.Context, logger *slog.Logger) error {
	s, err := openStore(ctx, c.DatabaseURL, false, logger)
	if err != nil {
		return err
	}
	defer s.Close()
	sources, err := s.GridSources(ctx)
	if err != nil {
		return err
	}
	for _, src := range sources {
		fmt.Printf("%s\t%s\t%s\t%s\n", src.Code, src.Name, strings.Join(src.Units, ","), src.CreatedAt.Format("2006-01-02"))
	}
	return nil
}

// demoGridSource is the grid system of the demo data: it reports for all of Wushen.
var demoGridSource = store.GridSource{Code: "wushen-grid", Name: "乌审旗网格化管理平台（演示）", Units: []string{"wushen-gov"}}

// devGridToken is the demo grid source's token in a development center: derived from the data
// folder's signing key, so that every start of `onedoor dev` prints the same one and no clear
// token is stored.
func devGridToken(key ed25519.PrivateKey) string {
	sum := sha256.Sum256(append([]byte("onedoor demo grid source\x00"), key.Seed()...))
	return api.GridTokenPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}

// ensureDemoGridSource adds the demo grid source with its token, unless it exists.
func ensureDemoGridSource(ctx context.Context, s *store.Store, token string) error {
	_, err := s.AddGridSource(ctx, demoGridSource, api.GridTokenHash(token))
	if onedoor.ErrorCode(err) == onedoor.EConflict {
		return nil
	}
	return err
}
