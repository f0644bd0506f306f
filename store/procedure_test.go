package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// procedureYAML is the built-in consultation procedure under another key, so that tests
// sharing the package's database do not meet; edits are old/new pairs applied once each.
func procedureYAML(t *testing.T, key string, edits ...string) []byte {
	t.Helper()
	src, ok := definitions.LibrarySource("consultation")
	require.True(t, ok)
	s := strings.Replace(string(src), "key: consultation", "key: "+key, 1)
	for i := 0; i+1 < len(edits); i += 2 {
		require.Contains(t, s, edits[i])
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	return []byte(s)
}

// lineOf is the 1-based line of src where needle, which must occur once, starts.
func lineOf(t *testing.T, src []byte, needle string) int {
	t.Helper()
	require.Equal(t, 1, strings.Count(string(src), needle), "%q must occur once", needle)
	return strings.Count(string(src[:strings.Index(string(src), needle)]), "\n") + 1
}

// demoStore is a store on a database of the test's own with the demo organisation of two
// counties, the organisation, and the database's URL.
func demoStore(t *testing.T) (*store.Store, *definitions.Org, string) {
	t.Helper()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	require.NoError(t, s.SeedOrg(context.Background(), org))
	return s, org, url
}

func wushen(t *testing.T) *definitions.Org {
	t.Helper()
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	return org
}

func requireCode(t *testing.T, code string, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, onedoor.ErrorCode(err), "%v", err)
}

func validationProblems(t *testing.T, err error) []definitions.Problem {
	t.Helper()
	var ve *definitions.ValidationError
	require.True(t, errors.As(err, &ve), "want a validation error, got %v", err)
	return ve.Problems
}

func TestProcedureVersionLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.OwnStore(t)
	org := wushen(t)
	const key = "store_lifecycle"

	v1, err := s.CreateProcedure(ctx, procedureYAML(t, key, "valid_from: 2025-01-01\n", ""), "", "admin")
	require.NoError(t, err)
	require.Equal(t, 1, v1.Procedure.Version)
	require.Equal(t, definitions.StatusDraft, v1.Procedure.Status)
	require.True(t, v1.Procedure.ValidFrom.IsZero())
	require.Equal(t, "admin", v1.CreatedBy)
	// The YAML says what the row says, and keeps the administrator's comments.
	require.Contains(t, v1.Source, "\nversion: 1\n")
	require.Contains(t, v1.Source, "\nstatus: draft\n")
	require.NotContains(t, v1.Source, "valid_from")
	require.Contains(t, v1.Source, "# 法律咨询")

	v1, err = s.UpdateProcedure(ctx, key, 1, procedureYAML(t, key, "name: 法律咨询", "name: 法律咨询（试行）", "valid_from: 2025-01-01\n", ""), "admin2", "")
	require.NoError(t, err)
	require.Equal(t, "法律咨询（试行）", v1.Procedure.Name)
	require.Equal(t, "admin2", v1.UpdatedBy)
	require.Equal(t, definitions.StatusDraft, v1.Procedure.Status, "the file says published; a draft stays a draft")

	pub, err := s.PublishProcedure(ctx, key, 1, org, "admin")
	require.NoError(t, err)
	require.Equal(t, definitions.StatusPublished, pub.Procedure.Status)
	require.Equal(t, definitions.DateOf(time.Now()), pub.Procedure.ValidFrom, "no valid_from: valid from today")
	require.Equal(t, "admin", pub.PublishedBy)
	require.False(t, pub.PublishedAt.IsZero())
	require.Contains(t, pub.Source, "\nstatus: published\n")
	require.Contains(t, pub.Source, "\nvalid_from: "+pub.Procedure.ValidFrom.String()+"\n")
	_, err = definitions.Load([]byte(pub.Source), org)
	require.NoError(t, err, "the stored YAML of a published version loads as it is")

	_, err = s.UpdateProcedure(ctx, key, 1, procedureYAML(t, key), "admin", "")
	requireCode(t, onedoor.EConflict, err)
	require.Contains(t, err.Error(), "published and cannot be edited")
	_, err = s.PublishProcedure(ctx, key, 1, org, "admin")
	requireCode(t, onedoor.EConflict, err)

	v2, err := s.NewProcedureDraft(ctx, key, 0, "admin")
	require.NoError(t, err)
	require.Equal(t, 2, v2.Procedure.Version)
	require.Equal(t, definitions.StatusDraft, v2.Procedure.Status)
	require.True(t, v2.Procedure.ValidFrom.IsZero())
	require.NotContains(t, v2.Source, "valid_from")
	require.Contains(t, v2.Source, "\nversion: 2\n")
	var changed []string
	for _, c := range definitions.Diff(pub.Procedure, v2.Procedure) {
		changed = append(changed, c.Path)
	}
	require.ElementsMatch(t, []string{"status", "valid_from", "version"}, changed, "a new draft is a copy")

	// A YAML of a known key is that key's next version.
	v3, err := s.CreateProcedure(ctx, procedureYAML(t, key), "", "admin")
	require.NoError(t, err)
	require.Equal(t, 3, v3.Procedure.Version)
	require.Equal(t, definitions.NewDate(2025, 1, 1), v3.Procedure.ValidFrom, "a draft keeps the valid_from it was written with")

	_, err = s.RetireProcedure(ctx, key, 2, "admin")
	requireCode(t, onedoor.EConflict, err)
	retired, err := s.RetireProcedure(ctx, key, 1, "admin")
	require.NoError(t, err)
	require.Equal(t, definitions.StatusRetired, retired.Procedure.Status)
	require.Equal(t, pub.Procedure.ValidFrom, retired.Procedure.ValidFrom)
	require.Contains(t, retired.Source, "\nstatus: retired\n")
	_, err = s.RetireProcedure(ctx, key, 1, "admin")
	requireCode(t, onedoor.EConflict, err)
	_, err = s.UpdateProcedure(ctx, key, 1, procedureYAML(t, key), "admin", "")
	requireCode(t, onedoor.EConflict, err)

	versions, err := s.ProcedureVersions(ctx, key)
	require.NoError(t, err)
	require.Len(t, versions, 3)
	for i, v := range versions {
		require.Equal(t, i+1, v.Procedure.Version)
	}
	latest, err := s.Procedures(ctx)
	require.NoError(t, err)
	i := slices.IndexFunc(latest, func(v store.ProcedureVersion) bool { return v.Procedure.Key == key })
	require.GreaterOrEqual(t, i, 0)
	require.Equal(t, 3, latest[i].Procedure.Version)

	got, err := s.ProcedureVersion(ctx, key, 1)
	require.NoError(t, err)
	require.Equal(t, retired.Source, got.Source)
	_, err = s.ProcedureVersion(ctx, key, 9)
	requireCode(t, onedoor.ENotFound, err)
	_, err = s.ProcedureVersions(ctx, "store_no_such_key")
	requireCode(t, onedoor.ENotFound, err)
	_, err = s.NewProcedureDraft(ctx, key, 9, "admin")
	requireCode(t, onedoor.ENotFound, err)
	_, err = s.UpdateProcedure(ctx, key, 9, procedureYAML(t, key), "admin", "")
	requireCode(t, onedoor.ENotFound, err)
}

func TestCurrentProcedurePicksByValidFrom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.OwnStore(t)
	org := wushen(t)
	const key = "store_current"
	publish := func(validFrom string) {
		t.Helper()
		v, err := s.CreateProcedure(ctx, procedureYAML(t, key, "valid_from: 2025-01-01", "valid_from: "+validFrom), "", "admin")
		require.NoError(t, err)
		_, err = s.PublishProcedure(ctx, key, v.Procedure.Version, org, "admin")
		require.NoError(t, err)
	}
	at := func(day string, hour, minute int) time.Time {
		d, err := definitions.ParseDate(day)
		require.NoError(t, err)
		return d.Start().Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
	}
	current := func(when time.Time) int {
		t.Helper()
		p, err := s.CurrentProcedure(ctx, key, "", when)
		require.NoError(t, err)
		require.Equal(t, definitions.StatusPublished, p.Status)
		return p.Version
	}

	publish("2025-01-01") // v1
	publish("2026-07-01") // v2, announced ahead
	publish("2025-06-01") // v3, a correction of v1 published after v2
	_, err := s.CreateProcedure(ctx, procedureYAML(t, key), "", "admin")
	require.NoError(t, err) // v4 stays a draft

	require.Equal(t, 1, current(at("2025-03-01", 12, 0)))
	require.Equal(t, 3, current(at("2026-06-30", 23, 59)), "the latest valid_from that has begun wins, not the highest version")
	require.Equal(t, 2, current(at("2026-07-01", 0, 0)), "valid from 00:00 Beijing time")
	require.Equal(t, 2, current(time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)), "16:00 UTC is midnight in Shanghai")
	require.Equal(t, 3, current(time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC)))
	require.Equal(t, 2, current(at("2027-01-01", 9, 0)), "a draft is never current")

	_, err = s.RetireProcedure(ctx, key, 2, "admin")
	require.NoError(t, err)
	require.Equal(t, 3, current(at("2027-01-01", 9, 0)), "a retired version is never current")

	_, err = s.CurrentProcedure(ctx, key, "", at("2024-12-31", 23, 59))
	requireCode(t, onedoor.ENotFound, err)
	_, err = s.CurrentProcedure(ctx, "store_no_such_procedure", "", time.Now())
	requireCode(t, onedoor.ENotFound, err)

	p, err := s.CurrentProcedure(ctx, key, "", at("2026-03-01", 12, 0))
	require.NoError(t, err)
	_, err = p.Compile()
	require.NoError(t, err, "the current version compiles")
	require.Equal(t, "intake", p.StartStep())
}

func TestPublishRefusesEveryProblemLocated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.OwnStore(t)
	const key = "store_mistakes"
	src := procedureYAML(t, key,
		"next: accept}", "next: acept}",
		"deadline: {amount: 3, unit: workdays, basis: 本地工作要求}", "deadline: {amount: 3, unit: weeks, basis: 本地工作要求}",
		"escalate: data.complex\n", "escalate: data.complx\n",
		`divert: '["justice"]'`, `divert: '["nowhere"]'`,
	)
	// A draft with mistakes is saved: it is work in progress.
	v, err := s.CreateProcedure(ctx, src, "", "admin")
	require.NoError(t, err)

	_, err = s.PublishProcedure(ctx, key, v.Procedure.Version, wushen(t), "admin")
	problems := validationProblems(t, err)
	paths := map[string]definitions.Problem{}
	for _, p := range problems {
		require.Positive(t, p.Line, "%s is located", p)
		require.Positive(t, p.Column, "%s is located", p)
		paths[p.Path] = p
	}
	// Each problem is on the line of the text that was changed, found by searching the file, so
	// that editing the built-in file does not break the test.
	for path, changed := range map[string]string{
		"steps[0].outcomes[1].next": "next: acept}",
		"steps[3].deadline.unit":    "unit: weeks",
		"levels.group.escalate":     "data.complx",
		"levels.government.divert":  `["nowhere"]`,
	} {
		require.Contains(t, paths, path)
		require.Equal(t, lineOf(t, src, changed), paths[path].Line, path)
	}
	require.Contains(t, paths["levels.government.divert"].Message, `"nowhere"`)

	stored, err := s.ProcedureVersion(ctx, key, v.Procedure.Version)
	require.NoError(t, err)
	require.Equal(t, definitions.StatusDraft, stored.Procedure.Status, "a refused draft stays a draft")
}

func TestCreateProcedureRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.OwnStore(t)

	bad := procedureYAML(t, "Store Bad Key")
	_, err := s.CreateProcedure(ctx, bad, "", "admin")
	problems := validationProblems(t, err)
	require.Len(t, problems, 1)
	require.Equal(t, "key", problems[0].Path)
	require.Equal(t, lineOf(t, bad, "key: Store Bad Key"), problems[0].Line)

	_, err = s.CreateProcedure(ctx, []byte("key: store_unreadable\nname: [unclosed\n"), "", "admin")
	problems = validationProblems(t, err)
	require.Positive(t, problems[0].Line)

	_, err = s.CreateProcedure(ctx, procedureYAML(t, "store_refusals", "name_en:", "nmae_en:"), "", "admin")
	problems = validationProblems(t, err)
	require.Contains(t, problems[0].Message, "nmae_en")

	v, err := s.CreateProcedure(ctx, procedureYAML(t, "store_refusals"), "", "admin")
	require.NoError(t, err)
	renamed := procedureYAML(t, "store_refusals_renamed")
	_, err = s.UpdateProcedure(ctx, "store_refusals", v.Procedure.Version, renamed, "admin", "")
	problems = validationProblems(t, err)
	require.Equal(t, "key", problems[0].Path)
	require.Equal(t, lineOf(t, renamed, "key: store_refusals_renamed"), problems[0].Line)
}

// TestFrozenVersionsTrigger checks the database itself refuses to change a published version,
// whoever writes.
func TestFrozenVersionsTrigger(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	defer s.Close()
	const key = "store_trigger"
	v, err := s.CreateProcedure(ctx, procedureYAML(t, key), "", "admin")
	require.NoError(t, err)
	_, err = s.PublishProcedure(ctx, key, v.Procedure.Version, wushen(t), "admin")
	require.NoError(t, err)

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, sql := range []string{
		`update procedure_versions set definition = jsonb_set(definition, '{name}', '"changed"') where key = $1`,
		`update procedure_versions set source = source || '# changed' where key = $1`,
		`update procedure_versions set valid_from = '2030-01-01' where key = $1`,
		`update procedure_versions set status = 'draft' where key = $1`,
		`update procedure_versions set status = 'retired', retired_by = 'x', retired_at = now(),
			definition = jsonb_set(definition, '{name}', '"changed"') where key = $1`,
		`delete from procedure_versions where key = $1`,
	} {
		_, err := conn.Exec(ctx, sql, key)
		require.ErrorContains(t, err, "cannot", sql)
	}
	got, err := s.ProcedureVersion(ctx, key, 1)
	require.NoError(t, err)
	require.Equal(t, definitions.StatusPublished, got.Procedure.Status)
	require.Equal(t, v.Procedure.Name, got.Procedure.Name)
}

func TestLoadLibraryConcurrentlyAndIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A database of its own, so that the built-in keys are free.
	url := testenv.EmptyDatabase(t, "library_race")
	s, err := store.Open(ctx, url)
	require.NoError(t, err)
	defer s.Close()
	_, _, err = s.Migrate(ctx)
	require.NoError(t, err)
	org := wushen(t)

	// An administrator's own mediation procedure is left alone.
	src, _ := definitions.LibrarySource("mediation")
	mine, err := s.CreateProcedure(ctx, src, "", "admin")
	require.NoError(t, err)

	var wg sync.WaitGroup
	loaded := make([][]string, 2)
	errs := make([]error, 2)
	for i := range loaded {
		wg.Go(func() {
			s, err := store.Open(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			loaded[i], errs[i] = s.LoadLibrary(ctx, org)
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	all := slices.Concat(loaded[0], loaded[1])
	slices.Sort(all)
	want := slices.DeleteFunc(slices.Clone(definitions.LibraryKeys), func(k string) bool { return k == "mediation" })
	slices.Sort(want)
	require.Equal(t, want, all, "each built-in stored once, by one of the two")

	again, err := s.LoadLibrary(ctx, org)
	require.NoError(t, err)
	require.Empty(t, again)

	for _, key := range definitions.LibraryKeys {
		versions, err := s.ProcedureVersions(ctx, key)
		require.NoError(t, err)
		require.Len(t, versions, 1, key)
	}
	got, err := s.ProcedureVersion(ctx, "mediation", 1)
	require.NoError(t, err)
	require.Equal(t, mine.Source, got.Source)
	require.Equal(t, definitions.StatusDraft, got.Procedure.Status)

	lib, err := definitions.Library()
	require.NoError(t, err)
	for _, want := range lib {
		if want.Key == "mediation" {
			continue
		}
		p, err := s.CurrentProcedure(ctx, want.Key, "", time.Now())
		require.NoError(t, err, want.Key)
		require.Empty(t, definitions.Diff(want, p), want.Key)
		v, err := s.ProcedureVersion(ctx, want.Key, 1)
		require.NoError(t, err)
		require.Equal(t, store.SystemActor, v.PublishedBy)
		builtin, _ := definitions.LibrarySource(want.Key)
		require.Equal(t, string(builtin), v.Source, "a built-in's YAML is stored as written")
	}
}

// TestProcedureOwners: a county's own procedure starts only that county's cases; every version of
// a key keeps the owner of the first, and the database refuses a writer that tries otherwise.
func TestProcedureOwners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, org, url := demoStore(t)
	const key = "store_owned"
	v, err := s.CreateProcedure(ctx, procedureYAML(t, key), "wushen-gov", "admin-wushen")
	require.NoError(t, err)
	require.Equal(t, "wushen-gov", v.Owner)
	_, err = s.PublishProcedure(ctx, key, 1, org, "admin-wushen")
	require.NoError(t, err)
	owner, err := s.ProcedureOwner(ctx, key)
	require.NoError(t, err)
	require.Equal(t, "wushen-gov", owner)

	p, err := s.CurrentProcedure(ctx, key, "wushen-gov", time.Now())
	require.NoError(t, err)
	require.Equal(t, 1, p.Version)
	for _, county := range []string{"otog-gov", ""} {
		_, err = s.CurrentProcedure(ctx, key, county, time.Now())
		require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err), "county %q", county)
	}

	// The next version, however it is started, is Wushen's too; nobody else's writes join the key.
	d, err := s.NewProcedureDraft(ctx, key, 0, "admin-wushen")
	require.NoError(t, err)
	require.Equal(t, "wushen-gov", d.Owner)
	for _, other := range []string{"otog-gov", ""} {
		_, err = s.CreateProcedure(ctx, procedureYAML(t, key), other, "someone")
		var ve *definitions.ValidationError
		require.ErrorAs(t, err, &ve, "owner %q", other)
		require.Equal(t, "key", ve.Problems[0].Path)
	}
	_, err = s.CreateProcedure(ctx, procedureYAML(t, "store_owned_shared"), "", "admin")
	require.NoError(t, err)
	_, err = s.CreateProcedure(ctx, procedureYAML(t, "store_owned_shared"), "otog-gov", "admin-otog")
	require.Error(t, err, "a template's key is no county's")

	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `update procedure_versions set owner = 'otog-gov' where key = $1 and version = 2`, key)
	require.ErrorContains(t, err, "cannot change")
	_, err = conn.Exec(ctx, `insert into procedure_versions (key, version, status, definition, source, created_by, updated_by)
		select key, 3, 'draft', definition, source, 'x', 'x' from procedure_versions where key = $1 and version = 2`, key)
	require.ErrorContains(t, err, "belongs to wushen-gov")
}

// The outcomes the statistics read (procedure_outcomes, 047) are those of each version's
// definition: written with a new version, rewritten when a draft is edited.
func TestProcedureOutcomesFollowTheDefinitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, url := setupURL(t)
	conn := connect(t, url)
	const key = "store_outcomes"
	kindOf := func(version int, step, outcome string) (kind string) {
		t.Helper()
		require.NoError(t, conn.QueryRow(ctx, `select coalesce(kind, '') from procedure_outcomes
			where key = $1 and version = $2 and step = $3 and outcome = $4`, key, version, step, outcome).Scan(&kind))
		return kind
	}
	same := func() {
		t.Helper()
		var rows, diff int
		require.NoError(t, conn.QueryRow(ctx, `
			with want as (
				select o.* from procedure_versions pv, procedure_outcomes_of(pv.key, pv.version, pv.definition) o
				where pv.key = $1
			), have as (select * from procedure_outcomes where key = $1)
			select (select count(*) from have),
				(select count(*) from (select * from want except all select * from have) a)
				+ (select count(*) from (select * from have except all select * from want) b)`, key).Scan(&rows, &diff))
		require.Positive(t, rows)
		require.Zero(t, diff, "procedure_outcomes differs from the definitions")
	}

	_, err := s.CreateProcedure(ctx, procedureYAML(t, key), "", "admin")
	require.NoError(t, err)
	same()
	require.Equal(t, "accepted", kindOf(1, "accept", "accept"))
	_, err = s.UpdateProcedure(ctx, key, 1, procedureYAML(t, key, "next: divert, kind: accepted", "next: divert, kind: transferred"), "admin", "")
	require.NoError(t, err)
	same()
	require.Equal(t, "transferred", kindOf(1, "accept", "accept"), "an edited draft's outcomes are its new ones")
	_, err = s.NewProcedureDraft(ctx, key, 0, "admin")
	require.NoError(t, err)
	same()
	require.Equal(t, "transferred", kindOf(2, "accept", "accept"))
}
