package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// CalendarNotices reads the State Council notices of the years from (a year) on, in year order, each
// with its days in date order.
func (s *Store) CalendarNotices(ctx context.Context, from int) ([]definitions.Notice, error) {
	rows, err := s.keyed.Query(ctx, `
		select n.year, n.title, n.issued, n.verified, n.entered_by, n.entered_at,
		       coalesce(jsonb_agg(jsonb_build_object('date', d.day, 'name', d.name, 'name_en', d.name_en, 'workday', d.workday)
		                order by d.day) filter (where d.day is not null), '[]')
		from calendar_notices n left join calendar_notice_days d on d.year = n.year
		where n.year >= $1 group by n.year order by n.year`, from)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Notice, error) {
		var n definitions.Notice
		var issued, at time.Time
		err := r.Scan(&n.Year, &n.Title, &issued, &n.Verified, &n.EnteredBy, &at, &n.Days)
		n.Issued, n.EnteredAt = definitions.DateOf(issued), &at
		return n, err
	})
}

// PutCalendarNotice enters a year's notice, replacing the one the year had. The caller has checked it
// (Notice.Check); a day another year's notice took meanwhile is a conflict.
//
// The statistics' calendar (workday_exceptions) follows in the same transaction, and the working
// days of the closed cases whose span the notice's days touch are counted again.
func (s *Store) PutCalendarNotice(ctx context.Context, n definitions.Notice, by string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := dropNotice(ctx, tx, n.Year)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `insert into calendar_notices (year, title, issued, verified, entered_by) values ($1, $2, $3, $4, $5)`,
			n.Year, n.Title, n.Issued.String(), n.Verified, by); err != nil {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"calendar_notice_days"}, []string{"day", "year", "name", "name_en", "workday"},
			pgx.CopyFromSlice(len(n.Days), func(i int) ([]any, error) {
				h := n.Days[i]
				return []any{h.Date.Start(), n.Year, h.Name, h.NameEN, h.Workday}, nil
			}))
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return onedoor.Errorf(onedoor.EConflict, "another year's notice sets a day of the %d notice", n.Year)
		} else if err != nil {
			return err
		}
		// An exception is a day that is not what its weekday says: a weekday rest day, a
		// make-up working day at a weekend.
		if _, err := tx.Exec(ctx, `insert into workday_exceptions (day, workday)
			select day, workday from calendar_notice_days where year = $1 and workday <> (extract(isodow from day) < 6)`, n.Year); err != nil {
			return err
		}
		days := old
		for _, h := range n.Days {
			days = append(days, h.Date)
		}
		return recount(ctx, tx, days)
	})
}

// dropNotice removes a year's notice and its days from the statistics' calendar, answering its
// days.
func dropNotice(ctx context.Context, tx pgx.Tx, year int) ([]definitions.Date, error) {
	if _, err := tx.Exec(ctx, `delete from workday_exceptions where day in (select day from calendar_notice_days where year = $1)`, year); err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `delete from calendar_notice_days where year = $1 returning day`, year)
	if err != nil {
		return nil, err
	}
	days, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Date, error) {
		var t time.Time
		err := r.Scan(&t)
		return definitions.DateOf(t), err
	})
	if err != nil {
		return nil, err
	}
	_, err = tx.Exec(ctx, `delete from calendar_notices where year = $1`, year)
	return days, err
}

// recount counts again the working days of the closed cases whose span touches the days.
func recount(ctx context.Context, tx pgx.Tx, days []definitions.Date) error {
	if len(days) == 0 {
		return nil
	}
	first, last := days[0], days[0]
	for _, d := range days {
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	_, err := tx.Exec(ctx, `select case_facts_refresh(array(select case_id from case_facts
		where closed_at is not null and received_at < $2 and closed_at >= $1))`, first.Start(), last.End())
	return err
}

// DeleteCalendarNotice removes a year's notice: new cases count that year with weekends only.
func (s *Store) DeleteCalendarNotice(ctx context.Context, year int) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `select 1 from calendar_notices where year = $1 for update`, year).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return onedoor.Errorf(onedoor.ENotFound, "no notice for %d", year)
		} else if err != nil {
			return err
		}
		days, err := dropNotice(ctx, tx, year)
		if err != nil {
			return err
		}
		return recount(ctx, tx, days)
	})
}

// Calendar is the calendar new deadlines of the county (its government unit's code) are
// counted on: the stored notices and the regional holidays of every county and of the county.
func (s *Store) Calendar(ctx context.Context, county string) (*definitions.Calendar, error) {
	notices, err := s.CalendarNotices(ctx, 0)
	if err != nil {
		return nil, err
	}
	regional, err := s.Holidays(ctx, county)
	if err != nil {
		return nil, err
	}
	return definitions.CalendarOf(notices, regional), nil
}

// builtinNoticesSQL is the statements that load the built-in notices, for migration 027.
func builtinNoticesSQL() string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	var b strings.Builder
	for _, n := range definitions.BuiltinNotices() {
		fmt.Fprintf(&b, "insert into calendar_notices (year, title, issued, verified, entered_by) values (%d, %s, '%s', %s, 'onedoor');\n",
			n.Year, quote(n.Title), n.Issued, quote(n.Verified))
		for _, h := range n.Days {
			fmt.Fprintf(&b, "insert into calendar_notice_days (day, year, name, name_en, workday) values ('%s', %d, %s, %s, %t);\n",
				h.Date, n.Year, quote(h.Name), quote(h.NameEN), h.Workday)
		}
	}
	return b.String()
}
