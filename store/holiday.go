package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// AllCounties asks Holidays for the regional holidays of every county.
const AllCounties = "*"

// Holidays reads the regional holidays administrators added, by date: those of every county
// and those of the county (its government unit's code) named; every one for AllCounties.
func (s *Store) Holidays(ctx context.Context, county string) ([]definitions.Holiday, error) {
	rows, err := s.keyed.Query(ctx, `select day, region, name, name_en, workday, coalesce(county, '') from regional_holidays
		where $1 = '*' or county is null or county = $1 order by day, region`, county)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Holiday, error) {
		var h definitions.Holiday
		var day time.Time
		err := r.Scan(&day, &h.Region, &h.Name, &h.NameEN, &h.Workday, &h.County)
		h.Date = definitions.NewDate(day.Year(), day.Month(), day.Day())
		return h, err
	})
}

// AddHoliday adds a regional holiday or make-up working day; one already on that day in that
// region is a conflict.
func (s *Store) AddHoliday(ctx context.Context, h definitions.Holiday, by string) error {
	tag, err := s.pool.Exec(ctx, `
		insert into regional_holidays (day, region, name, name_en, workday, created_by, county)
		values ($1, $2, $3, $4, $5, $6, nullif($7, '')) on conflict do nothing`,
		h.Date.String(), h.Region, h.Name, h.NameEN, h.Workday, by, h.County)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return onedoor.Errorf(onedoor.EConflict, "%s already has a holiday in %s", h.Date, h.Region)
	}
	return nil
}

// DeleteHoliday removes a regional holiday; of the county (its government unit's code) only,
// unless county is AllCounties.
func (s *Store) DeleteHoliday(ctx context.Context, day definitions.Date, region, county string) error {
	tag, err := s.pool.Exec(ctx, `delete from regional_holidays where day = $1 and region = $2
		and ($3 = '*' or county = $3)`, day.String(), region, county)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return onedoor.Errorf(onedoor.ENotFound, "no holiday on %s in %s", day, region)
	}
	return nil
}
