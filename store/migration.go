package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// The states of a migration plan and of its items.
const (
	PlanPlanned  = "planned"  // created with its dry run, not applied yet
	PlanApplying = "applying" // a runner moves its pending items (or crashed doing so)
	PlanDone     = "done"     // no item is pending

	ItemPending = "pending" // to move
	ItemMoved   = "moved"   // on the target version
	ItemLeft    = "left"    // stays on its version, Reason says why
	ItemFailed  = "failed"  // the move failed, Reason has the error
)

// MigrationPlan is a stored migration plan (definitions.MigrationPlan) with who made and
// applied it.
type MigrationPlan struct {
	ID   int64
	Plan definitions.MigrationPlan
	// County is the county whose cases the plan moves; empty for every county's.
	County     string
	Status     string
	CreatedBy  string
	CreatedAt  time.Time
	AppliedBy  string
	StartedAt  *time.Time
	FinishedAt *time.Time
}

// MigrationItem is one running case of a plan: where the dry run says it lands (its step, the
// earliest new due date of its open tasks and each task's landing as JSON), or why it is left.
type MigrationItem struct {
	CaseID     string          `db:"case_id"`
	Number     string          `db:"number"`
	Status     string          `db:"status"`
	Step       string          `db:"step"`
	TargetStep string          `db:"target_step"`
	DueAt      *time.Time      `db:"due_at"`
	Tasks      json.RawMessage `db:"tasks"`
	Reason     string          `db:"reason"`
	MovedAt    *time.Time      `db:"moved_at"`
}

// MigrationProgress counts a plan's items by status.
type MigrationProgress struct {
	Total   int `json:"total" doc:"Cases the dry run listed."`
	Pending int `json:"pending" doc:"Cases still to move."`
	Moved   int `json:"moved" doc:"Cases moved to the target version."`
	Left    int `json:"left" doc:"Cases left on their version, each with the reason."`
	Failed  int `json:"failed" doc:"Cases whose move failed, each with the error."`
}

// MigrationCandidates are the open cases on version from of procedure key, in the read model, by
// number; only those held by units when units is not nil.
func (s *Store) MigrationCandidates(ctx context.Context, key string, from int, units []string) ([]onedoor.Case, error) {
	rows, err := s.pool.Query(ctx, `
		select id::text, number, step, org_unit, procedure_override from cases
		where status = 'open' and procedure_key = $1 and procedure_version = $2
			and ($3::text[] is null or org_unit = any($3))
		order by number`, key, from, units)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (onedoor.Case, error) {
		c := onedoor.Case{ProcedureKey: key, ProcedureVersion: from}
		err := r.Scan(&c.ID, &c.Number, &c.Step, &c.OrgUnit, &c.OverrideVersion)
		return c, err
	})
}

// CreateMigrationPlan stores a plan and its dry run's items in one transaction and returns the
// plan with its id.
func (s *Store) CreateMigrationPlan(ctx context.Context, p MigrationPlan, items []MigrationItem) (MigrationPlan, error) {
	steps := p.Plan.Steps
	if steps == nil {
		steps = map[string]string{}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			insert into migration_plans (procedure_key, from_version, to_version, steps, county, created_by)
			values ($1, $2, $3, $4, nullif($5, ''), $6) returning id, status, created_at`,
			p.Plan.Procedure, p.Plan.From, p.Plan.To, steps, p.County, p.CreatedBy).Scan(&p.ID, &p.Status, &p.CreatedAt); err != nil {
			return err
		}
		rows := make([][]any, len(items))
		for i, it := range items {
			tasks := it.Tasks
			if len(tasks) == 0 {
				tasks = json.RawMessage("[]")
			}
			rows[i] = []any{p.ID, it.CaseID, it.Number, it.Status, it.Step, it.TargetStep, it.DueAt, []byte(tasks), it.Reason}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"migration_items"},
			[]string{"plan_id", "case_id", "number", "status", "step", "target_step", "due_at", "tasks", "reason"},
			pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return p, interpret(err, fmt.Sprintf("migration plan of %s", p.Plan.Procedure))
	}
	return p, nil
}

const planColumns = `id, procedure_key, from_version, to_version, steps, coalesce(county, ''), status, created_by,
	created_at, coalesce(applied_by, ''), started_at, finished_at`

func scanPlan(r pgx.Row) (MigrationPlan, error) {
	var p MigrationPlan
	err := r.Scan(&p.ID, &p.Plan.Procedure, &p.Plan.From, &p.Plan.To, &p.Plan.Steps, &p.County, &p.Status, &p.CreatedBy,
		&p.CreatedAt, &p.AppliedBy, &p.StartedAt, &p.FinishedAt)
	return p, err
}

// MigrationPlan reads a plan.
func (s *Store) MigrationPlan(ctx context.Context, id int64) (MigrationPlan, error) {
	p, err := scanPlan(s.pool.QueryRow(ctx, `select `+planColumns+` from migration_plans where id = $1`, id))
	if err != nil {
		return p, interpret(err, fmt.Sprintf("migration plan %d", id))
	}
	return p, nil
}

// ApplyingMigrations are the plans left applying, oldest first: a runner stopped before their
// end (a crash, a restart).
func (s *Store) ApplyingMigrations(ctx context.Context) ([]MigrationPlan, error) {
	rows, err := s.pool.Query(ctx, `select `+planColumns+` from migration_plans where status = 'applying' order by id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (MigrationPlan, error) { return scanPlan(r) })
}

// StartMigration marks a plan applying, by the user by (the first one who started it is kept).
// A plan done stays done.
func (s *Store) StartMigration(ctx context.Context, id int64, by string) (MigrationPlan, error) {
	p, err := scanPlan(s.pool.QueryRow(ctx, `
		update migration_plans set status = case when status = 'done' then status else 'applying' end,
			applied_by = coalesce(applied_by, $2), started_at = coalesce(started_at, now())
		where id = $1 returning `+planColumns, id, by))
	if err != nil {
		return p, interpret(err, fmt.Sprintf("migration plan %d", id))
	}
	return p, nil
}

// FinishMigration marks a plan done once none of its items is pending, and reports whether it is.
func (s *Store) FinishMigration(ctx context.Context, id int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		update migration_plans set status = 'done', finished_at = now()
		where id = $1 and status <> 'done'
			and not exists (select 1 from migration_items where plan_id = $1 and status = 'pending')`, id)
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	p, err := s.MigrationPlan(ctx, id)
	return p.Status == PlanDone, err
}

// MigrationProgress counts the plan's items by status.
func (s *Store) MigrationProgress(ctx context.Context, id int64) (MigrationProgress, error) {
	var p MigrationProgress
	err := s.pool.QueryRow(ctx, `
		select count(*), count(*) filter (where status = 'pending'), count(*) filter (where status = 'moved'),
			count(*) filter (where status = 'left'), count(*) filter (where status = 'failed')
		from migration_items where plan_id = $1`, id).Scan(&p.Total, &p.Pending, &p.Moved, &p.Left, &p.Failed)
	return p, err
}

// migrationCursor is the position in a plan's items: the last case number listed.
type migrationCursor struct {
	Number string `json:"n"`
}

func (c migrationCursor) ok() bool { return c.Number != "" }

// MigrationItems is a page of the plan's items by case number, of one status when status is
// set, from the cursor of the page before.
func (s *Store) MigrationItems(ctx context.Context, id int64, status, cursor string, n int) (Page[MigrationItem], error) {
	var after migrationCursor
	if cursor != "" {
		if err := decodeCursor(cursor, &after); err != nil {
			return Page[MigrationItem]{}, err
		}
	}
	n = limit(n)
	rows, err := s.pool.Query(ctx, `
		select case_id::text, number, status, step, target_step, due_at, tasks, reason, moved_at
		from migration_items where plan_id = $1 and ($2 = '' or status = $2) and number > $3
		order by number limit $4`, id, status, after.Number, n+1)
	if err != nil {
		return Page[MigrationItem]{}, err
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByName[MigrationItem])
	if err != nil {
		return Page[MigrationItem]{}, err
	}
	page := Page[MigrationItem]{Items: items}
	if len(items) > n {
		page.Items = items[:n]
		page.Next = encodeCursor(migrationCursor{Number: items[n-1].Number})
	}
	return page, nil
}

// MigrationResult is what became of one claimed item: its new status, with the reason of a case
// left or failed, or where a moved case landed.
type MigrationResult struct {
	CaseID     string
	Status     string
	Reason     string
	TargetStep string
	DueAt      *time.Time
	Tasks      json.RawMessage
}

// MigrateBatch claims up to n pending items of the plan, by number, and hands them to move,
// recording the results it returns, in one transaction: the rows stay locked (FOR UPDATE SKIP
// LOCKED) while move works, so another runner takes other items, and a runner that dies before
// the commit leaves its items pending for the next one. It returns how many items it claimed; 0
// when none is pending. An error of move rolls the batch back.
func (s *Store) MigrateBatch(ctx context.Context, id int64, n int, move func([]MigrationItem) ([]MigrationResult, error)) (int, error) {
	claimed := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			select case_id::text, number, status, step, target_step, due_at, tasks, reason, moved_at
			from migration_items where plan_id = $1 and status = 'pending'
			order by number limit $2 for update skip locked`, id, n)
		if err != nil {
			return err
		}
		items, err := pgx.CollectRows(rows, pgx.RowToStructByName[MigrationItem])
		if err != nil || len(items) == 0 {
			return err
		}
		claimed = len(items)
		results, err := move(items)
		if err != nil {
			return err
		}
		for _, r := range results {
			tasks := r.Tasks
			if len(tasks) == 0 {
				tasks = nil
			}
			if _, err := tx.Exec(ctx, `
				update migration_items set status = $3, reason = $4,
					target_step = case when $3 = 'moved' and $5 <> '' then $5 else target_step end,
					due_at = case when $3 = 'moved' then $6 else due_at end,
					tasks = coalesce($7::jsonb, tasks),
					moved_at = case when $3 = 'moved' then now() end
				where plan_id = $1 and case_id = $2`,
				id, r.CaseID, r.Status, r.Reason, r.TargetStep, r.DueAt, nullJSON(tasks)); err != nil {
				return err
			}
		}
		return nil
	})
	return claimed, err
}

// MigrationPlanSummary is a plan in the list of plans: the plan, the name of its procedure (of
// the target version) and its progress.
type MigrationPlanSummary struct {
	MigrationPlan
	Name     string
	Progress MigrationProgress
}

// planListCursor is the position in the list of plans: the id of the last plan listed.
type planListCursor struct {
	ID int64 `json:"i"`
}

func (c planListCursor) ok() bool { return c.ID > 0 }

// MigrationPlans is a page of the plans, newest first, with their progress: those of the
// counties (and units above them) in units, or every plan when units is nil.
func (s *Store) MigrationPlans(ctx context.Context, units []string, cursor string, n int) (Page[MigrationPlanSummary], error) {
	var after planListCursor
	if cursor != "" {
		if err := decodeCursor(cursor, &after); err != nil {
			return Page[MigrationPlanSummary]{}, err
		}
	}
	n = limit(n)
	rows, err := s.pool.Query(ctx, `
		select p.id, p.procedure_key, p.from_version, p.to_version, p.steps, coalesce(p.county, ''), p.status, p.created_by,
			p.created_at, coalesce(p.applied_by, ''), p.started_at, p.finished_at, coalesce(v.name, ''), x.total, x.pending, x.moved, x.left, x.failed
		from migration_plans p
		left join procedure_versions v on v.key = p.procedure_key and v.version = p.to_version
		cross join lateral (
			select count(*) as total, count(*) filter (where i.status = 'pending') as pending,
				count(*) filter (where i.status = 'moved') as moved, count(*) filter (where i.status = 'left') as left,
				count(*) filter (where i.status = 'failed') as failed
			from migration_items i where i.plan_id = p.id) x
		where ($1::text[] is null or p.county = any($1)) and ($2 = 0 or p.id < $2)
		order by p.id desc limit $3`, units, after.ID, n+1)
	if err != nil {
		return Page[MigrationPlanSummary]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MigrationPlanSummary, error) {
		var p MigrationPlanSummary
		err := r.Scan(&p.ID, &p.Plan.Procedure, &p.Plan.From, &p.Plan.To, &p.Plan.Steps, &p.County, &p.Status, &p.CreatedBy,
			&p.CreatedAt, &p.AppliedBy, &p.StartedAt, &p.FinishedAt, &p.Name,
			&p.Progress.Total, &p.Progress.Pending, &p.Progress.Moved, &p.Progress.Left, &p.Progress.Failed)
		return p, err
	})
	if err != nil {
		return Page[MigrationPlanSummary]{}, err
	}
	page := Page[MigrationPlanSummary]{Items: list}
	if len(list) > n {
		page.Items = list[:n]
		page.Next = encodeCursor(planListCursor{ID: list[n-1].ID})
	}
	return page, nil
}
