package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// CourtFigures are the statistics of 诉调对接 over a period: the disputes referred to the court's
// pre-litigation mediation, what became of them, and the court's own count of new civil and
// commercial cases, against which the referrals are a share (the seed's 80.91%).
type CourtFigures struct {
	Referred        int     `json:"court_referred" doc:"Referrals to the court's pre-litigation mediation (诉前调解) opened in the period: tasks at a step that waits on the court."`
	Concluded       int     `json:"court_concluded" doc:"Of those, the ones whose result the court has given (agreement, judicial confirmation or failure)."`
	Succeeded       int     `json:"court_succeeded" doc:"Of those, concluded with an agreement (judicially confirmed or not)."`
	SuccessRate     float64 `json:"court_success_rate" doc:"court_succeeded / court_concluded: the seed's success rate (85.34%), of the mediations the court concluded."`
	CivilCommercial int     `json:"court_civil_commercial" doc:"New civil and commercial cases the court received (新收民商事案件) in the months that begin within the period, as entered for the county centers in scope (PUT /v1/court/intake); 0 when none was entered."`
	Share           float64 `json:"court_share" doc:"court_referred / court_civil_commercial: the share of the court's new civil and commercial cases mediated before litigation (the seed's 80.91%); 0 without the court's count."`
}

// CourtStats counts the referrals to the court, of the cases the filter selects, that opened in
// the filter's period, and sums the court's intake of the months that begin in the period for
// the org units in scope.
func (s *Store) CourtStats(ctx context.Context, f StatsFilter) (CourtFigures, error) {
	var c CourtFigures
	depts, ok := f.departments()
	if !ok {
		return c, nil
	}
	q := factsFilter(f, depts)
	q.where("t.waits_on = 'court'")
	q.where("t.opened_at >= " + q.arg(f.From))
	q.where("t.opened_at < " + q.arg(f.To))
	err := s.pool.QueryRow(ctx, `select count(*),
			count(*) filter (where t.status = 'done' and t.outcome = any(`+q.arg(definitions.CourtResults)+`)),
			count(*) filter (where t.status = 'done' and t.outcome = any(`+q.arg([]string{definitions.CourtAgreement, definitions.CourtConfirmed})+`))
		from tasks t join case_facts x on x.case_id = t.case_id where `+q.sql(), q.args...).Scan(&c.Referred, &c.Concluded, &c.Succeeded)
	if err != nil {
		return c, err
	}
	c.SuccessRate = ratio(c.Succeeded, c.Concluded)

	// The months that begin within [From, To), in China's time: the court counts by month, so a
	// period of a year to date counts the month under way.
	first := definitions.DateOf(f.From)
	if first.Day != 1 || first.Start().Before(f.From) {
		first = definitions.NewDate(first.Year, first.Month+1, 1)
	}
	last := definitions.DateOf(f.To.Add(-time.Nanosecond))
	if last.Before(first) {
		return c, nil
	}
	iq := &query{}
	iq.where("month >= " + iq.arg(first.String()) + "::date")
	iq.where("month <= " + iq.arg(last.String()) + "::date")
	if len(f.Scope.Units) > 0 && !f.Scope.All {
		iq.where("org_unit = any(" + iq.arg(f.Scope.Units) + ")")
	}
	if len(f.OrgUnits) > 0 {
		iq.where("org_unit = any(" + iq.arg(f.OrgUnits) + ")")
	}
	if err := s.pool.QueryRow(ctx, `select coalesce(sum(civil_commercial), 0) from court_intake where `+iq.sql(), iq.args...).Scan(&c.CivilCommercial); err != nil {
		return c, err
	}
	c.Share = ratio(c.Referred, c.CivilCommercial)
	return c, nil
}

// CourtIntake is the court's count of new civil and commercial cases of a county's month.
type CourtIntake struct {
	OrgUnit         string    `json:"org_unit" doc:"The county's center (banner level) beside which the court sits."`
	Month           string    `json:"month" doc:"The month, YYYY-MM."`
	CivilCommercial int       `json:"civil_commercial" doc:"New civil and commercial cases the court received that month (新收民商事案件)."`
	EnteredBy       string    `json:"entered_by"`
	EnteredAt       time.Time `json:"entered_at"`
}

// SetCourtIntake records the court's count of a month for the org unit, replacing an earlier one.
func (s *Store) SetCourtIntake(ctx context.Context, in CourtIntake) (CourtIntake, error) {
	month, err := time.ParseInLocation("2006-01", in.Month, time.UTC)
	if err != nil {
		return in, onedoor.Errorf(onedoor.EInvalid, "the month %q is not of the form YYYY-MM", in.Month)
	}
	err = s.pool.QueryRow(ctx, `insert into court_intake (org_unit, month, civil_commercial, entered_by, entered_at)
		values ($1, $2, $3, $4, $5)
		on conflict (org_unit, month) do update set civil_commercial = excluded.civil_commercial,
			entered_by = excluded.entered_by, entered_at = excluded.entered_at
		returning entered_at`, in.OrgUnit, month, in.CivilCommercial, in.EnteredBy, s.Clock()).Scan(&in.EnteredAt)
	return in, interpret(err, "court intake")
}

// CourtIntakes lists the counts entered for the org units (all when units is nil), newest month first.
func (s *Store) CourtIntakes(ctx context.Context, units []string) ([]CourtIntake, error) {
	q := &query{}
	q.where("true")
	if units != nil {
		q.where("org_unit = any(" + q.arg(units) + ")")
	}
	rows, err := s.pool.Query(ctx, `select org_unit, to_char(month, 'YYYY-MM'), civil_commercial, entered_by, entered_at
		from court_intake where `+q.sql()+` order by month desc, org_unit limit 240`, q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CourtIntake, error) {
		var c CourtIntake
		err := r.Scan(&c.OrgUnit, &c.Month, &c.CivilCommercial, &c.EnteredBy, &c.EnteredAt)
		return c, err
	})
}

// CourtRow is what became of one row of an import of the court's export.
type CourtRow struct {
	Row        int    `json:"row" doc:"The row's number in the file, the header being row 1."`
	CaseNumber string `json:"case_number"`
	CourtRef   string `json:"court_ref,omitempty"`
	Result     string `json:"result" enum:"agreement,confirmed,failed"`
	Status     string `json:"status" enum:"applied,unchanged,failed" doc:"applied: the result was recorded on the case; unchanged: the case already had it (the file was imported before); failed: see message."`
	Message    string `json:"message,omitempty"`
}

// CourtImport is one import of the court's export, as recorded.
type CourtImport struct {
	ID         string     `json:"id"`
	OrgUnit    string     `json:"org_unit" doc:"The importer's org unit."`
	FileName   string     `json:"file_name"`
	FileSHA256 string     `json:"file_sha256" doc:"SHA-256 of the file, hex."`
	Format     string     `json:"format" enum:"csv,xlsx"`
	Rows       int        `json:"rows"`
	Applied    int        `json:"applied"`
	Unchanged  int        `json:"unchanged"`
	Failed     int        `json:"failed"`
	Results    []CourtRow `json:"results"`
	ImportedBy string     `json:"imported_by"`
	ImportedAt time.Time  `json:"imported_at"`
}

// SaveCourtImport records an import; sha256 is the file's digest.
func (s *Store) SaveCourtImport(ctx context.Context, imp CourtImport, sha256 []byte) error {
	results, err := json.Marshal(imp.Results)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `insert into court_imports (id, org_unit, file_name, file_sha256, format, rows, applied,
			unchanged, failed, results, imported_by, imported_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		imp.ID, imp.OrgUnit, imp.FileName, sha256, imp.Format, imp.Rows, imp.Applied, imp.Unchanged, imp.Failed,
		results, imp.ImportedBy, imp.ImportedAt)
	return interpret(err, "court import")
}

// CourtImports lists the imports made at the org units (all when units is nil), newest first.
func (s *Store) CourtImports(ctx context.Context, units []string, limit int) ([]CourtImport, error) {
	q := &query{}
	q.where("true")
	if units != nil {
		q.where("org_unit = any(" + q.arg(units) + ")")
	}
	rows, err := s.pool.Query(ctx, `select id, org_unit, file_name, encode(file_sha256, 'hex'), format, rows, applied,
			unchanged, failed, results, imported_by, imported_at
		from court_imports where `+q.sql()+` order by imported_at desc limit `+q.arg(limit), q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CourtImport, error) {
		var c CourtImport
		err := r.Scan(&c.ID, &c.OrgUnit, &c.FileName, &c.FileSHA256, &c.Format, &c.Rows, &c.Applied, &c.Unchanged,
			&c.Failed, &c.Results, &c.ImportedBy, &c.ImportedAt)
		return c, err
	})
}
