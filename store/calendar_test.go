package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// A notice entered or removed carries the statistics' calendar (workday_exceptions) with it:
// the database counts the working days as the calendar of the stored notices does.
func TestNoticesKeepTheStatisticsCalendar(t *testing.T) {
	t.Parallel()
	s, url := setupURL(t)
	conn := connect(t, url)
	ctx := context.Background()
	agrees := func() {
		t.Helper()
		notices, err := s.CalendarNotices(ctx, 0)
		require.NoError(t, err)
		cal := definitions.CalendarOf(notices, nil)
		rows, err := conn.Query(ctx, `select d::date::text, workdays_between((d - interval '1 day')::date, d::date) = 1
			from generate_series(date '2026-11-01', date '2028-02-29', interval '1 day') d`)
		require.NoError(t, err)
		var day string
		var workday bool
		_, err = pgx.ForEachRow(rows, []any{&day, &workday}, func() error {
			d, err := definitions.ParseDate(day)
			require.NoError(t, err)
			require.Equal(t, cal.IsWorkday(d), workday, "%s", day)
			return nil
		})
		require.NoError(t, err)
	}
	span := func() int {
		t.Helper()
		var n int
		require.NoError(t, conn.QueryRow(ctx, `select workdays_between('2026-12-31', '2027-02-22')`).Scan(&n))
		return n
	}
	before := span()
	agrees()

	holiday := func(y int, m time.Month, d int, workday bool) definitions.Holiday {
		return definitions.Holiday{Date: definitions.NewDate(y, m, d), Name: "春节", Workday: workday}
	}
	n := definitions.Notice{Year: 2027, Title: "2027年通知", Issued: definitions.NewDate(2026, 11, 10), Days: []definitions.Holiday{
		holiday(2027, 1, 1, false), holiday(2027, 2, 8, false), holiday(2027, 2, 9, false), holiday(2027, 2, 20, true),
	}}
	require.NoError(t, s.PutCalendarNotice(ctx, n, "admin"))
	require.Equal(t, before-3+1, span(), "three weekday rest days, one make-up Saturday")
	agrees()

	n.Days = n.Days[:1] // replaced: only New Year's Day is left
	require.NoError(t, s.PutCalendarNotice(ctx, n, "admin"))
	require.Equal(t, before-1, span())
	agrees()

	require.NoError(t, s.DeleteCalendarNotice(ctx, 2027))
	require.Equal(t, before, span())
	agrees()
	require.Error(t, s.DeleteCalendarNotice(ctx, 2027))
}
