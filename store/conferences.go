package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
)

// Conference is a case conference (会商研判) as the center keeps it: the cases it discusses, the
// departments invited and whether each attended, the minutes and the decisions. Each case keeps
// its own record of it too (onedoor.Case.Conferences), written by its workflow.
type Conference struct {
	ID        string               `json:"id"`
	OrgUnit   string               `json:"org_unit" doc:"The unit that convenes it (a center)."`
	Title     string               `json:"title"`
	At        time.Time            `json:"at" doc:"When it is held."`
	Place     string               `json:"place"`
	RemindAt  *time.Time           `json:"remind_at,omitempty" doc:"When the invited are reminded."`
	StopClock bool                 `json:"stop_clock" doc:"The cases' clocks stop until it is held, on the tasks whose deadline the procedure lets suspend."`
	Status    string               `json:"status" enum:"scheduled,held,cancelled"`
	Cases     []ConferenceCase     `json:"cases"`
	Invitees  []ConferenceInvitee  `json:"invitees"`
	Minutes   string               `json:"minutes,omitempty" doc:"The minutes (会议纪要), once held."`
	Decisions []ConferenceDecision `json:"decisions,omitempty" doc:"The decisions, once held: each a task of a case, or a hand-down."`
	CreatedBy string               `json:"created_by"`
	CreatedAt time.Time            `json:"created_at"`
	HeldBy    string               `json:"held_by,omitempty"`
	HeldAt    *time.Time           `json:"held_at,omitempty"`
	// CancelledBy and CancelReason say who cancelled it and why.
	CancelledBy  string `json:"cancelled_by,omitempty"`
	CancelReason string `json:"cancel_reason,omitempty"`
}

// ConferenceCase is a case a conference discusses.
type ConferenceCase struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Subject string `json:"subject"`
	Status  string `json:"status" doc:"The case's status now."`
}

// ConferenceInvitee is a department invited, and once held whether it attended and who came.
type ConferenceInvitee struct {
	Department string `json:"department"`
	Attended   *bool  `json:"attended,omitempty"`
	Attendee   string `json:"attendee,omitempty" doc:"Who came for the department."`
}

// ConferenceDecision is one decision of a held conference about one of its cases.
type ConferenceDecision struct {
	Case       string     `json:"case" doc:"The case's number."`
	Department string     `json:"department,omitempty" doc:"The department given the task."`
	Task       string     `json:"task,omitempty" doc:"What it is to do."`
	Due        string     `json:"due,omitempty" doc:"Its period, e.g. 5 workdays."`
	DueAt      *time.Time `json:"due_at,omitempty" doc:"When it is due, as the case's task has it."`
	TaskID     string     `json:"task_id,omitempty" doc:"The case's task it opened."`
	Lead       bool       `json:"lead,omitempty" doc:"The department leads (牵头) the others on the case."`
	HandDown   string     `json:"hand_down,omitempty" doc:"The org unit the case was handed down to, for a hand-down."`
}

// CreateConference records a scheduled conference with its cases and invitees; a conference
// with its id already recorded is left as it is (a retried request).
func (s *Store) CreateConference(ctx context.Context, c Conference) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `insert into conferences (id, org_unit, title, at, place, remind_at, stop_clock, status, created_by, created_at)
			values ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $9) on conflict (id) do nothing`,
			c.ID, c.OrgUnit, c.Title, c.At, c.Place, c.RemindAt, c.StopClock, c.CreatedBy, c.CreatedAt)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		for _, k := range c.Cases {
			if _, err := tx.Exec(ctx, `insert into conference_cases (conference_id, case_id) values ($1, $2)`, c.ID, k.ID); err != nil {
				return err
			}
		}
		for _, i := range c.Invitees {
			if _, err := tx.Exec(ctx, `insert into conference_invitees (conference_id, department) values ($1, $2)`, c.ID, i.Department); err != nil {
				return err
			}
		}
		return nil
	})
}

// HoldConference records a conference as held: its minutes, attendance and decisions.
func (s *Store) HoldConference(ctx context.Context, c Conference) error {
	decisions, err := json.Marshal(jsonList(c.Decisions))
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `update conferences set status = 'held', minutes = $2, decisions = $3, held_by = $4, held_at = $5
			where id = $1 and status = 'scheduled'`, c.ID, c.Minutes, decisions, c.HeldBy, c.HeldAt); err != nil {
			return err
		}
		for _, i := range c.Invitees {
			if _, err := tx.Exec(ctx, `update conference_invitees set attended = $3, attendee = $4 where conference_id = $1 and department = $2`,
				c.ID, i.Department, i.Attended, i.Attendee); err != nil {
				return err
			}
		}
		return nil
	})
}

// CancelConference records a scheduled conference as cancelled.
func (s *Store) CancelConference(ctx context.Context, id, by, reason string) error {
	_, err := s.pool.Exec(ctx, `update conferences set status = 'cancelled', cancelled_by = $2, cancel_reason = $3
		where id = $1 and status = 'scheduled'`, id, by, reason)
	return err
}

// Conference reads one conference.
func (s *Store) Conference(ctx context.Context, id string) (Conference, error) {
	list, err := s.conferences(ctx, "c.id = $1", id)
	if err != nil {
		return Conference{}, err
	}
	if len(list) == 0 {
		return Conference{}, onedoor.Errorf(onedoor.ENotFound, "conference %s not found", id)
	}
	return list[0], nil
}

// Conferences lists the conferences convened by the units (all when units is nil), latest first.
func (s *Store) Conferences(ctx context.Context, units []string, limit int) ([]Conference, error) {
	if units == nil {
		return s.conferences(ctx, "true order by c.at desc limit $1", limit)
	}
	return s.conferences(ctx, "c.org_unit = any($2) order by c.at desc limit $1", limit, units)
}

func (s *Store) conferences(ctx context.Context, where string, args ...any) ([]Conference, error) {
	rows, err := s.pool.Query(ctx, `
		select c.id::text, c.org_unit, c.title, c.at, c.place, c.remind_at, c.stop_clock, c.status, c.minutes, c.decisions,
			c.created_by, c.created_at, coalesce(c.held_by, ''), c.held_at, coalesce(c.cancelled_by, ''), coalesce(c.cancel_reason, ''),
			(select coalesce(jsonb_agg(jsonb_build_object('id', k.id, 'number', k.number, 'subject', k.subject, 'status', k.status)
				order by k.number), '[]') from conference_cases x join cases k on k.id = x.case_id where x.conference_id = c.id),
			(select coalesce(jsonb_agg(jsonb_build_object('department', i.department, 'attended', i.attended, 'attendee', nullif(i.attendee, ''))
				order by i.department), '[]') from conference_invitees i where i.conference_id = c.id)
		from conferences c where `+where, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Conference, error) {
		var c Conference
		err := r.Scan(&c.ID, &c.OrgUnit, &c.Title, &c.At, &c.Place, &c.RemindAt, &c.StopClock, &c.Status, &c.Minutes, &c.Decisions,
			&c.CreatedBy, &c.CreatedAt, &c.HeldBy, &c.HeldAt, &c.CancelledBy, &c.CancelReason, &c.Cases, &c.Invitees)
		return c, err
	})
}
