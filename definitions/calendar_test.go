package definitions

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, Shanghai)
}

func dates(notes []DayNote) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = n.Date.String()
	}
	return out
}

func TestCalendarDays(t *testing.T) {
	t.Parallel()
	c := NewCalendar()
	for _, tc := range []struct {
		name string
		year int
		n    int // working days in the year
	}{{"2025", 2025, 248}, {"2026", 2026, 248}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			for d := NewDate(tc.year, 1, 1); d.Year == tc.year; d = d.AddDays(1) {
				if c.IsWorkday(d) {
					n++
				}
			}
			require.Equal(t, tc.n, n)
		})
	}
	for _, tc := range []struct {
		date string
		kind DayKind
		why  string
	}{
		{"2025-01-01", DayHoliday, "元旦 New Year's Day holiday"},
		{"2025-01-26", DayMakeupWorkday, "make-up working day counted (春节调休上班 Spring Festival make-up working day)"},
		{"2025-02-04", DayHoliday, "春节 Spring Festival holiday"},
		{"2025-02-05", DayWorkday, ""},
		{"2025-02-08", DayMakeupWorkday, "make-up working day counted (春节调休上班 Spring Festival make-up working day)"},
		{"2025-04-27", DayMakeupWorkday, "make-up working day counted (劳动节调休上班 Labour Day make-up working day)"},
		{"2025-06-02", DayHoliday, "端午节 Dragon Boat Festival holiday"},
		{"2025-10-08", DayHoliday, "国庆节、中秋节 National Day and Mid-Autumn Festival holiday"},
		{"2025-10-11", DayMakeupWorkday, "make-up working day counted (国庆节、中秋节调休上班 National Day and Mid-Autumn Festival make-up working day)"},
		{"2026-01-03", DayHoliday, "元旦 New Year's Day holiday"},
		{"2026-01-04", DayMakeupWorkday, "make-up working day counted (元旦调休上班 New Year's Day make-up working day)"},
		{"2026-02-14", DayMakeupWorkday, "make-up working day counted (春节调休上班 Spring Festival make-up working day)"},
		{"2026-02-16", DayHoliday, "春节 Spring Festival holiday"},
		{"2026-02-23", DayHoliday, "春节 Spring Festival holiday"},
		{"2026-02-28", DayMakeupWorkday, "make-up working day counted (春节调休上班 Spring Festival make-up working day)"},
		{"2026-04-06", DayHoliday, "清明节 Qingming Festival holiday"},
		{"2026-05-09", DayMakeupWorkday, "make-up working day counted (劳动节调休上班 Labour Day make-up working day)"},
		{"2026-06-19", DayHoliday, "端午节 Dragon Boat Festival holiday"},
		{"2026-09-20", DayMakeupWorkday, "make-up working day counted (国庆节调休上班 National Day make-up working day)"},
		{"2026-09-25", DayHoliday, "中秋节 Mid-Autumn Festival holiday"},
		{"2026-10-07", DayHoliday, "国庆节 National Day holiday"},
		{"2026-10-10", DayMakeupWorkday, "make-up working day counted (国庆节调休上班 National Day make-up working day)"},
		{"2026-10-11", DayWeekend, "weekend"},
		{"2027-02-06", DayWeekend, "weekend"},
		{"2027-02-08", DayWorkday, ""}, // no 2027 notice: weekends only
	} {
		d, err := ParseDate(tc.date)
		require.NoError(t, err)
		kind, why := c.Day(d)
		require.Equal(t, tc.kind, kind, tc.date)
		require.Equal(t, tc.why, why, tc.date)
	}
}

func TestCalendarDue(t *testing.T) {
	t.Parallel()
	naadam := Holiday{Date: NewDate(2026, 7, 13), Name: "那达慕", NameEN: "Naadam", Region: "内蒙古自治区"}
	c := NewCalendar(naadam)
	for _, tc := range []struct {
		name        string
		from        time.Time
		period      Period
		suspensions []Suspension
		last        string
		at          time.Time
		counted     []string
		skipped     []string
		moved       []string
		summary     string
		note        string
	}{
		{
			name: "workdays across the 2026 Spring Festival count the make-up Saturday", from: at(2026, 2, 12, 16, 30), period: Workdays(5),
			last:    "2026-02-26",
			counted: []string{"2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26"},
			skipped: []string{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"},
			summary: "due by the end of 2026-02-26 (24:00 Asia/Shanghai): 5 working days counted from the day after 2026-02-12 (the start day is not counted, Civil Code Art.201); 9 days skipped",
		},
		{
			name: "calendar days ending in the 2026 Spring Festival move to the next working day", from: at(2026, 2, 1, 9, 0), period: Days(15),
			last:    "2026-02-24",
			moved:   []string{"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"},
			summary: "due by the end of 2026-02-24 (24:00 Asia/Shanghai): 15 calendar days counted from the day after 2026-02-01 (the start day is not counted, Civil Code Art.201); the period reached 2026-02-16, a rest day (春节 Spring Festival holiday), so it ends on the next working day 2026-02-24 (Civil Code Art.203)",
		},
		{
			name: "calendar days ending on a make-up Saturday do not move", from: at(2026, 2, 13, 9, 0), period: Days(15),
			last: "2026-02-28",
		},
		{
			name: "2025 workdays count the make-up Sunday before the Spring Festival", from: at(2025, 1, 20, 10, 0), period: Workdays(5),
			last:    "2025-01-26",
			counted: []string{"2025-01-21", "2025-01-22", "2025-01-23", "2025-01-24", "2025-01-26"},
			skipped: []string{"2025-01-25"},
		},
		{
			name: "15 workdays over the 2025 National Day", from: at(2025, 9, 26, 10, 0), period: Workdays(15),
			last: "2025-10-23",
		},
		{
			name: "15 calendar days ending on the 2025 Labour Day", from: at(2025, 4, 18, 10, 0), period: Days(15),
			last:  "2025-05-06",
			moved: []string{"2025-05-03", "2025-05-04", "2025-05-05"},
		},
		{
			name: "60 days from acceptance of a petition", from: at(2026, 1, 5, 11, 0), period: Days(60),
			last: "2026-03-06",
		},
		{
			name: "a regional holiday is skipped", from: at(2026, 7, 10, 10, 0), period: Workdays(1),
			last: "2026-07-14", skipped: []string{"2026-07-11", "2026-07-12", "2026-07-13"},
		},
		{
			name: "a year without a notice counts weekends only", from: at(2027, 1, 4, 10, 0), period: Workdays(5),
			last: "2027-01-11",
			note: "no State Council holiday notice is loaded for 2027: only weekends and regional holidays were treated as rest days that year",
		},
		{
			name: "suspended days are not counted", from: at(2026, 3, 2, 10, 0), period: Days(10),
			suspensions: []Suspension{{From: at(2026, 3, 5, 10, 0), To: at(2026, 3, 6, 15, 0), Reason: "核实 verification"}},
			last:        "2026-03-16",
			skipped:     []string{"2026-03-05", "2026-03-06"},
			moved:       []string{"2026-03-14", "2026-03-15"},
			summary:     "due by the end of 2026-03-16 (24:00 Asia/Shanghai): 10 calendar days counted from the day after 2026-03-02 (the start day is not counted, Civil Code Art.201); 2 days skipped; the period reached 2026-03-14, a rest day (weekend), so it ends on the next working day 2026-03-16 (Civil Code Art.203); 2 suspended days not counted",
		},
		{
			name: "hours run by the clock over a holiday", from: at(2026, 9, 30, 20, 0), period: Hours(24),
			last: "2026-10-01", at: at(2026, 10, 1, 20, 0),
		},
		{
			name: "suspension extends an hour period", from: at(2026, 3, 2, 9, 0), period: Hours(2),
			suspensions: []Suspension{{From: at(2026, 3, 2, 10, 0), To: at(2026, 3, 2, 10, 30), Reason: "waiting"}, {From: at(2026, 3, 2, 10, 15), To: at(2026, 3, 2, 11, 0), Reason: "waiting"}},
			last:        "2026-03-02", at: at(2026, 3, 2, 12, 0),
			summary: "due 2026-03-02 12:00: 2 hours from 2026-03-02 09:00, plus 1h0m0s of suspension (Asia/Shanghai)",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			due := c.Due(tc.from, tc.period, tc.suspensions...)
			require.Equal(t, tc.last, due.LastDay.String())
			if tc.at.IsZero() {
				require.True(t, due.At.Equal(due.LastDay.End()))
			} else {
				require.True(t, due.At.Equal(tc.at), due.At)
			}
			if tc.counted != nil {
				require.Equal(t, tc.counted, dates(due.Explanation.Counted))
			}
			if tc.skipped != nil {
				require.Equal(t, tc.skipped, dates(due.Explanation.Skipped))
			}
			if tc.moved != nil {
				require.Equal(t, tc.moved, dates(due.Explanation.Moved))
			}
			if tc.summary != "" {
				require.Equal(t, tc.summary, due.Explanation.Summary)
			}
			if tc.note != "" {
				require.Contains(t, due.Explanation.Notes, tc.note)
			} else if tc.period.Unit == UnitDays || tc.period.Unit == UnitWorkdays {
				require.Empty(t, due.Explanation.Notes)
			}
			if tc.period.Unit == UnitDays || tc.period.Unit == UnitWorkdays {
				require.Len(t, due.Explanation.Counted, tc.period.Amount)
			}
		})
	}
}

func TestCalendarSkippedReason(t *testing.T) {
	t.Parallel()
	due := NewCalendar().Due(at(2026, 2, 13, 9, 0), Workdays(2))
	require.Equal(t, "2026-02-24", due.LastDay.String())
	require.Equal(t, "2026-02-16 春节 Spring Festival holiday", due.Explanation.Skipped[1].String())
	require.Equal(t, "2026-02-14 make-up working day counted (春节调休上班 Spring Festival make-up working day)", due.Explanation.Counted[0].String())
	require.Contains(t, due.Explanation.SummaryZH, "2026年2月24日24时届满")
}

func TestCalendarBadPeriod(t *testing.T) {
	t.Parallel()
	from := at(2026, 3, 2, 9, 0)
	due := NewCalendar().Due(from, Days(0))
	require.True(t, due.At.Equal(from))
	require.NotEmpty(t, due.Explanation.Notes)
}

func TestMomentZH(t *testing.T) {
	t.Parallel()
	require.Equal(t, "2026年4月13日24时", MomentZH(time.Date(2026, 4, 14, 0, 0, 0, 0, Shanghai)))
	require.Equal(t, "2026年4月13日9时05分", MomentZH(time.Date(2026, 4, 13, 1, 5, 0, 0, time.UTC)))
}
