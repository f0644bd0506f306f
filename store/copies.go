package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Copied reports whether the case was copied for information (抄送) to the user or to one of
// the org units (the units of the user's posts): such a user may read the case, not act on it.
func (s *Store) Copied(ctx context.Context, caseID, userID string, units []string) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `
		select exists (select 1 from case_copies where case_id = $1 and (user_id = $2 or org_unit = any($3)))`,
		caseID, userID, units).Scan(&ok)
	return ok, err
}

// CopiedItem is a case copied to a user (抄送我的), as it stands now.
type CopiedItem struct {
	CaseID     string             `json:"case_id"`
	CaseNumber string             `json:"case_number"`
	Matter     definitions.Matter `json:"matter"`
	Subject    string             `json:"subject"`
	CaseStatus onedoor.Status     `json:"case_status" doc:"Where the case stands now: open or closed."`
	CaseStep   string             `json:"case_step,omitempty" doc:"The case's current step, while it is open."`
	OrgUnit    string             `json:"org_unit" doc:"The org unit holding the case now."`
	By         string             `json:"by" doc:"Who copied the case."`
	At         time.Time          `json:"at" doc:"When it was copied (the latest copy to the user or their unit)."`
	Reason     string             `json:"reason,omitempty"`
	ToUnit     string             `json:"to_unit,omitempty" doc:"The org unit the case was copied to, when it was copied to the user's unit rather than to the user."`
	ReadAt     *time.Time         `json:"read_at,omitempty" doc:"When the user marked it read; unread when absent."`
}

// copiedCursor is the position after a case in the copied list: copied newest first, then case.
type copiedCursor struct {
	At   time.Time `json:"a"`
	Case string    `json:"c"`
}

func (c *copiedCursor) ok() bool { return !c.At.IsZero() && isUUID(c.Case) }

// CopiedFilter selects the cases copied to a user.
type CopiedFilter struct {
	UserID string
	// Units are the org units of the user's posts: a copy to one of them is a copy to the user.
	Units  []string
	Unread bool
	Cursor string
	Limit  int
}

// CopiedCases is one page of the cases copied to a user or their units, most recently copied
// first, each case once (its latest copy to them).
func (s *Store) CopiedCases(ctx context.Context, f CopiedFilter) (Page[CopiedItem], error) {
	var page Page[CopiedItem]
	n := limit(f.Limit)
	q := &query{}
	user := q.arg(f.UserID)
	units := q.arg(f.Units)
	if f.Unread {
		q.where("r.read_at is null")
	}
	if f.Cursor != "" {
		var cur copiedCursor
		if err := decodeCursor(f.Cursor, &cur); err != nil {
			return page, err
		}
		q.where(fmt.Sprintf("(x.at, x.case_id) < (%s, %s::uuid)", q.arg(cur.At), q.arg(cur.Case)))
	}
	rows, err := s.pool.Query(ctx, `
		with x as (
			select distinct on (case_id) case_id, by_user, at, reason, coalesce(org_unit, '') as to_unit
			from case_copies where user_id = `+user+` or org_unit = any(`+units+`)
			order by case_id, at desc, n desc
		)
		select c.id::text, c.number, c.matter, c.subject, c.status, c.step, c.org_unit, x.by_user, x.at, x.reason, x.to_unit, r.read_at
		from x join cases c on c.id = x.case_id
		left join copy_reads r on r.case_id = x.case_id and r.user_id = `+user+`
		where `+q.sql()+fmt.Sprintf(` order by x.at desc, x.case_id desc limit %d`, n+1), q.args...)
	if err != nil {
		return page, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CopiedItem, error) {
		var it CopiedItem
		err := r.Scan(&it.CaseID, &it.CaseNumber, &it.Matter, &it.Subject, &it.CaseStatus, &it.CaseStep, &it.OrgUnit,
			&it.By, &it.At, &it.Reason, &it.ToUnit, &it.ReadAt)
		it.At = it.At.In(definitions.Shanghai)
		return it, err
	})
	if err != nil {
		return page, err
	}
	if len(items) > n {
		items = items[:n]
		last := items[n-1]
		page.Next = encodeCursor(copiedCursor{At: last.At, Case: last.CaseID})
	}
	page.Items = items
	return page, nil
}

// MarkCopyRead records that the user has read the case copied to them; marking it again keeps
// the first time.
func (s *Store) MarkCopyRead(ctx context.Context, userID, caseID string, at time.Time) (time.Time, error) {
	var readAt time.Time
	err := s.pool.QueryRow(ctx, `
		insert into copy_reads (user_id, case_id, read_at) values ($1, $2, $3)
		on conflict (user_id, case_id) do update set read_at = copy_reads.read_at
		returning read_at`, userID, caseID, at).Scan(&readAt)
	return readAt.In(definitions.Shanghai), err
}
