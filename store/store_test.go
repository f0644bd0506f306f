package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/demo"
	"github.com/onedoor/onedoor/internal/testenv"
	"github.com/onedoor/onedoor/store"
)

// setup opens a database of the test's own with the demo organisation loaded: each test owns
// its data, so it may count rows and run in parallel with the others.
func setup(t *testing.T) *store.Store {
	t.Helper()
	s, _ := setupURL(t)
	return s
}

// setupURL is setup and the database's URL, for a test that also writes to it directly.
func setupURL(t *testing.T) (*store.Store, string) {
	t.Helper()
	url := testenv.OwnDatabaseURL(t)
	s, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	require.NoError(t, demo.Load(context.Background(), s))
	return s, url
}

func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// A database of its own, so that both processes find it empty.
	url := testenv.EmptyDatabase(t, "migrate_race")

	var wg sync.WaitGroup
	versions := make([]int32, 4)
	errs := make([]error, 4)
	for i := range versions {
		wg.Go(func() {
			s, err := store.Open(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			_, versions[i], errs[i] = s.Migrate(ctx)
		})
	}
	wg.Wait()
	for i := range versions {
		require.NoError(t, errs[i])
		require.Equal(t, versions[0], versions[i])
	}
	require.Positive(t, versions[0])
}

// The store's sessions for reads plan each statement for its arguments and start no parallel
// workers for it, unless DATABASE_URL says otherwise; those of its keyed pool plan a statement
// once, and take DATABASE_URL's other settings.
func TestSessionsPlanForTheirArgumentsWithoutParallelWorkersOrJIT(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.DatabaseURL(t)
	settings := func(url string) (reads, keyed map[string]string) {
		s, err := store.Open(ctx, url)
		require.NoError(t, err)
		defer s.Close()
		reads, keyed = map[string]string{}, map[string]string{}
		for _, name := range []string{"plan_cache_mode", "max_parallel_workers_per_gather", "jit"} {
			reads[name], err = s.Setting(ctx, name)
			require.NoError(t, err)
			keyed[name], err = s.KeyedSetting(ctx, name)
			require.NoError(t, err)
		}
		return reads, keyed
	}
	reads, keyed := settings(url)
	require.Equal(t, map[string]string{"plan_cache_mode": "force_custom_plan", "max_parallel_workers_per_gather": "0", "jit": "off"}, reads)
	require.Equal(t, map[string]string{"plan_cache_mode": "force_generic_plan", "max_parallel_workers_per_gather": "0", "jit": "off"}, keyed)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	reads, keyed = settings(url + sep + "plan_cache_mode=auto&max_parallel_workers_per_gather=2&jit=on")
	require.Equal(t, map[string]string{"plan_cache_mode": "auto", "max_parallel_workers_per_gather": "2", "jit": "on"}, reads)
	require.Equal(t, map[string]string{"plan_cache_mode": "force_generic_plan", "max_parallel_workers_per_gather": "2", "jit": "on"}, keyed)
}

func newCase(received string) onedoor.Case {
	now := time.Now().UTC().Truncate(time.Microsecond)
	return onedoor.Case{
		ID: uuid.NewString(), Matter: definitions.MatterPetition, Status: onedoor.StatusOpen, Step: "intake",
		Level: definitions.LevelTown, OrgUnit: received, ReceivedBy: received, Channel: onedoor.ChannelVisit,
		Subject: "草场边界纠纷", ResidentName: "张三", Data: map[string]any{"people": 3.0},
		ProcedureKey: "petition", ProcedureVersion: 1, CreatedBy: "clerk-galutu", ReceivedAt: now, UpdatedAt: now,
	}
}

func TestRegisterCaseNumbersAndIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	prefix := "T1-PET-2026"
	entry := store.AuditEntry{Seq: 1, At: time.Now(), Actor: "clerk-galutu", Action: "register"}

	first := newCase("galutu")
	a, err := s.RegisterCase(ctx, first, nil, prefix, entry)
	require.NoError(t, err)
	require.Equal(t, prefix+"-000001", a.Number)
	b, err := s.RegisterCase(ctx, newCase("galutu"), nil, prefix, entry)
	require.NoError(t, err)
	require.Equal(t, prefix+"-000002", b.Number)

	// A retried activity registers the same case again: same number, no new row, no new audit line.
	a2, err := s.RegisterCase(ctx, first, nil, prefix, entry)
	require.NoError(t, err)
	require.Equal(t, a.Number, a2.Number)
	audit, err := s.Audit(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, audit, 1)

	got, err := s.Case(ctx, a.Number)
	require.NoError(t, err)
	require.Equal(t, a.ID, got.ID)
	require.Equal(t, map[string]any{"people": 3.0}, got.Data)
	byID, err := s.Case(ctx, a.ID)
	require.NoError(t, err)
	require.Equal(t, a.Number, byID.Number)
}

// A number is reserved once per case, also when requests for one case race; requests for
// different cases at once take consecutive numbers; a retry burns none; past 999999 the number
// grows a digit.
func TestReserveNumberOncePerCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, url := setupURL(t)
	prefix := "T6-PET-2026"

	same := uuid.NewString()
	ids := []string{uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()}
	got := make([]string, 8+len(ids))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			id := same
			if i >= 8 {
				id = ids[i-8]
			}
			n, err := s.ReserveNumber(ctx, id, prefix)
			require.NoError(t, err)
			got[i] = n
		})
	}
	wg.Wait()
	for _, n := range got[1:8] {
		require.Equal(t, got[0], n, "one case, one number")
	}
	numbers := slices.Sorted(slices.Values(got[7:]))
	want := []string{prefix + "-000001", prefix + "-000002", prefix + "-000003", prefix + "-000004", prefix + "-000005"}
	require.Equal(t, want, numbers, "five cases, five numbers in a row: none burnt by the race")

	again, err := s.ReserveNumber(ctx, ids[0], prefix)
	require.NoError(t, err)
	require.Equal(t, got[8], again, "a retry keeps the case's number")

	db, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer db.Close(ctx)
	_, err = db.Exec(ctx, `update case_number_counters set last = 999998 where prefix = $1`, prefix)
	require.NoError(t, err)
	for _, want := range []string{"-999999", "-1000000"} {
		n, err := s.ReserveNumber(ctx, uuid.NewString(), prefix)
		require.NoError(t, err)
		require.Equal(t, prefix+want, n)
	}
}

func TestRegisterCaseUnknownOrgUnit(t *testing.T) {
	t.Parallel()
	s := setup(t)
	_, err := s.RegisterCase(context.Background(), newCase("atlantis"), nil, "T2-PET-2026", store.AuditEntry{Seq: 1, At: time.Now(), Actor: "x", Action: "register"})
	require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err))
}

func TestSaveCaseNeverMovesBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	c, err := s.RegisterCase(ctx, newCase("galutu"), nil, "T3-PET-2026", store.AuditEntry{Seq: 1, At: time.Now(), Actor: "x", Action: "register"})
	require.NoError(t, err)

	c.Step = "handle"
	newest := store.AuditEntry{Seq: 3, At: time.Now(), Actor: "x", Action: "complete"}
	require.NoError(t, s.SaveCase(ctx, c, nil, nil, newest))
	stale := c
	stale.Step = "accept"
	require.NoError(t, s.SaveCase(ctx, stale, nil, nil, store.AuditEntry{Seq: 2, At: time.Now(), Actor: "x", Action: "accept"}))
	// Retrying the newest write is harmless too.
	require.NoError(t, s.SaveCase(ctx, c, nil, nil, newest))

	got, err := s.Case(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, "handle", got.Step)
	audit, err := s.Audit(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, audit, 3)
	require.Equal(t, []string{"register", "accept", "complete"}, []string{audit[0].Action, audit[1].Action, audit[2].Action})
}

func TestCaseNotFound(t *testing.T) {
	t.Parallel()
	s := setup(t)
	_, err := s.Case(context.Background(), "WS-PET-2026-999999")
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))
	_, err = s.Case(context.Background(), uuid.NewString())
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))
}

// A case whose number is reserved (its registration has begun, perhaps through another API node)
// but which the read model does not hold yet is waited for; past the wait it is unavailable, not
// missing. A number nobody reserved is missing at once.
func TestCaseSoonWaitsForARegistrationUnderWay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	prefix := "T5-PET-2026"
	c := newCase("galutu")
	number, err := s.ReserveNumber(ctx, c.ID, prefix)
	require.NoError(t, err)

	_, err = s.CaseSoon(ctx, number, 50*time.Millisecond)
	require.Equal(t, onedoor.EUnavailable, onedoor.ErrorCode(err), "reserved but not yet mirrored: %v", err)
	_, err = s.CaseSoon(ctx, prefix+"-999999", time.Minute)
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))

	registered := make(chan error, 1)
	go func() {
		time.Sleep(300 * time.Millisecond)
		_, err := s.RegisterCase(ctx, c, nil, prefix, store.AuditEntry{Seq: 1, At: time.Now(), Actor: "x", Action: "register"})
		registered <- err
	}()
	for _, ref := range []string{number, c.ID} {
		got, err := s.CaseSoon(ctx, ref, 10*time.Second)
		require.NoError(t, err)
		require.Equal(t, c.ID, got.ID)
		require.Equal(t, number, got.Number)
	}
	require.NoError(t, <-registered)
}

// The audit log is append-only: the same event written again is accepted and changes nothing, a
// different event under a number already taken is an error that writes nothing, and the
// database itself refuses to change or remove an entry.
func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, url := setupURL(t)
	c, err := s.RegisterCase(ctx, newCase("galutu"), nil, "T4-PET-2026", store.AuditEntry{Seq: 1, At: time.Now(), Actor: "x", Action: "register"})
	require.NoError(t, err)
	note := store.AuditEntry{Seq: 2, At: time.Now(), Actor: "x", Action: "note", Reason: "电话回访"}
	require.NoError(t, s.SaveCase(ctx, c, nil, nil, note))
	require.NoError(t, s.SaveCase(ctx, c, nil, nil, note), "the same event again")

	other := c
	other.Step = "accept"
	err = s.SaveCase(ctx, other, nil, nil, store.AuditEntry{Seq: 2, At: time.Now(), Actor: "y", Action: "complete", Reason: "register"})
	require.ErrorContains(t, err, "already has a different event 2")
	got, err := s.Case(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, c.Step, got.Step, "nothing of the refused event was written")
	audit, err := s.Audit(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, audit, 2)
	require.Equal(t, "电话回访", audit[1].Reason)

	db := connect(t, url)
	_, err = db.Exec(ctx, `update audit_log set reason = 'rewritten' where case_id = $1 and seq = 2`, uuid.MustParse(c.ID))
	require.ErrorContains(t, err, "append-only")
	_, err = db.Exec(ctx, `delete from audit_log where case_id = $1`, uuid.MustParse(c.ID))
	require.ErrorContains(t, err, "append-only")
}

// Chinese is searched by two-character words and one-character surnames: both are found, in the
// subject and the resident's name (search_test.go has the whole of the search's meaning).
func TestSearchShortChineseWords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	c := newCase("galutu")
	c.Subject, c.ResidentName = "驼羔走失纠纷", "乌力吉"
	c, err := s.RegisterCase(ctx, c, nil, "T5-MED-2026", store.AuditEntry{Seq: 1, At: time.Now(), Actor: "x", Action: "register"})
	require.NoError(t, err)
	for _, q := range []string{"驼羔", "乌", "走失纠纷"} {
		page, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Q: q, Limit: 10})
		require.NoError(t, err, q)
		var numbers []string
		for _, got := range page.Items {
			numbers = append(numbers, got.Number)
		}
		require.Contains(t, numbers, c.Number, "q=%s", q)
	}
}

// TestUnavailableTellsAnOutageFromAMistake: the API answers 503 (retry) to a database that is
// away and 500 or 4xx to anything else, so the store must tell them apart.
func TestUnavailableTellsAnOutageFromAMistake(t *testing.T) {
	t.Parallel()
	proxy, url := testenv.NewProxy(t, testenv.OwnDatabaseURL(t))
	s, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Case(context.Background(), uuid.NewString())
	require.Equal(t, onedoor.ENotFound, onedoor.ErrorCode(err))
	require.False(t, store.Unavailable(err))

	// A connection that went away, used again, says "conn closed": an outage too.
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	require.NoError(t, conn.Close(context.Background()))
	_, err = conn.Exec(context.Background(), "select 1")
	require.ErrorContains(t, err, "conn closed")
	require.True(t, store.Unavailable(err), "%v", err)

	proxy.Cut()
	_, err = s.Case(context.Background(), uuid.NewString())
	require.Error(t, err)
	require.True(t, store.Unavailable(err), "%v", err)
	proxy.Restore()
	require.Eventually(t, func() bool {
		_, err := s.Case(context.Background(), uuid.NewString())
		return onedoor.ErrorCode(err) == onedoor.ENotFound
	}, 10*time.Second, 100*time.Millisecond, "the pool reconnects")
}
