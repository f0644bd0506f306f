package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Holidays reads the regional holidays administrators added, by date.
func (s *Store) Holidays(ctx context.Context) ([]definitions.Holiday, error) {
	rows, err := s.pool.Query(ctx, `select day, region, name, name_en, workday from regional_holidays order by day, region`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (definitions.Holiday, error) {
		var h definitions.Holiday
		var day time.Time
		err := r.Scan(&day, &h.Region, &h.Name, &h.NameEN, &h.Workday)
		h.Date = definitions.NewDate(day.Year(), day.Month(), day.Day())
		return h, err
	})
}

// AddHoliday adds a regional holiday or make-up working day; one already on that day in that
// region is a conflict.
func (s *Store) AddHoliday(ctx context.Context, h definitions.Holiday, by string) error {
	tag, err := s.pool.Exec(ctx, `
		insert into regional_holidays (day, region, name, name_en, workday, created_by)
		values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
		h.Date.String(), h.Region, h.Name, h.NameEN, h.Workday, by)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return onedoor.Errorf(onedoor.EConflict, "%s already has a holiday in %s", h.Date, h.Region)
	}
	return nil
}

// DeleteHoliday removes a regional holiday.
func (s *Store) DeleteHoliday(ctx context.Context, day definitions.Date, region string) error {
	tag, err := s.pool.Exec(ctx, `delete from regional_holidays where day = $1 and region = $2`, day.String(), region)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return onedoor.Errorf(onedoor.ENotFound, "no holiday on %s in %s", day, region)
	}
	return nil
}
