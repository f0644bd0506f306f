package definitions

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Unit is the unit a period is counted in.
type Unit string

// The units of a period. Days are calendar days (日); workdays are working days (工作日) on the
// State Council calendar including make-up working days.
const (
	UnitMinutes  Unit = "minutes"
	UnitHours    Unit = "hours"
	UnitDays     Unit = "days"
	UnitWorkdays Unit = "workdays"
)

// Units lists the valid units, for messages and forms.
var Units = []Unit{UnitMinutes, UnitHours, UnitDays, UnitWorkdays}

// Valid reports whether u is one of the units.
func (u Unit) Valid() bool { return slices.Contains(Units, u) }

// maxPeriodDays bounds a day count so a typo (60000 days) cannot make Due walk for ever.
const maxPeriodDays = 3660

// MaxPeriodAmount is the largest amount a deadline may have, in any unit: a procedure's deadline
// longer is refused, and Due counts no more days than that.
const MaxPeriodAmount = maxPeriodDays

// Period is an amount of time in a unit, e.g. 15 days or 5 workdays.
type Period struct {
	Amount int  `json:"amount" yaml:"amount"`
	Unit   Unit `json:"unit" yaml:"unit"`
}

// Days is a period of n calendar days.
func Days(n int) Period { return Period{n, UnitDays} }

// Workdays is a period of n working days.
func Workdays(n int) Period { return Period{n, UnitWorkdays} }

// Hours is a period of n hours.
func Hours(n int) Period { return Period{n, UnitHours} }

// Minutes is a period of n minutes.
func Minutes(n int) Period { return Period{n, UnitMinutes} }

// String writes the period as "15 days".
func (p Period) String() string { return fmt.Sprintf("%d %s", p.Amount, p.Unit) }

// ZH writes the period in Chinese, e.g. "15日", "5个工作日".
func (p Period) ZH() string {
	switch p.Unit {
	case UnitMinutes:
		return fmt.Sprintf("%d分钟", p.Amount)
	case UnitHours:
		return fmt.Sprintf("%d小时", p.Amount)
	case UnitWorkdays:
		return fmt.Sprintf("%d个工作日", p.Amount)
	}
	return fmt.Sprintf("%d日", p.Amount)
}

// Suspension is a stretch of time that does not count towards a deadline (中止, 不计入期限):
// verification for a notarization, a hearing in a re-review, waiting for the resident's papers.
type Suspension struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Reason string    `json:"reason"`
}

// DayKind is what a date is on the calendar.
type DayKind string

// The kinds of day.
const (
	DayWorkday         DayKind = "workday"          // an ordinary working day
	DayWeekend         DayKind = "weekend"          // Saturday or Sunday with no make-up work
	DayHoliday         DayKind = "holiday"          // a national rest day of the State Council notice
	DayMakeupWorkday   DayKind = "makeup_workday"   // a weekend day worked in exchange (调休上班)
	DayRegionalHoliday DayKind = "regional_holiday" // a rest day an administrator added for the region
	DaySuspended       DayKind = "suspended"        // not counted because the case was suspended
)

// DayNote is one date in an explanation and why it was treated so.
type DayNote struct {
	Date   Date    `json:"date"`
	Kind   DayKind `json:"kind"`
	Reason string  `json:"reason,omitempty"`
}

// String writes the note as "2026-02-16 春节 Spring Festival holiday".
func (n DayNote) String() string {
	if n.Reason == "" {
		return n.Date.String() + " " + string(n.Kind)
	}
	return n.Date.String() + " " + n.Reason
}

// SuspensionNote is one suspension and how far it moved the deadline.
type SuspensionNote struct {
	Suspension
	// Days is how many days were not counted because of it (day and workday periods).
	Days int `json:"days,omitempty"`
	// Added is how much time it added (minute and hour periods).
	Added time.Duration `json:"added,omitempty"`
}

// Explanation says how a due date was reached, so a clerk or a resident can check it by hand.
type Explanation struct {
	From   time.Time `json:"from"`
	Period Period    `json:"period"`
	// StartDay is the day the period starts on; it is not counted (Civil Code Art.201).
	StartDay Date `json:"start_day"`
	// Counted are the days counted towards the period, in order.
	Counted []DayNote `json:"counted,omitempty"`
	// Skipped are the days passed over while counting, with the reason.
	Skipped []DayNote `json:"skipped,omitempty"`
	// Moved are the rest days the last day moved over (Civil Code Art.203).
	Moved       []DayNote        `json:"moved,omitempty"`
	Suspensions []SuspensionNote `json:"suspensions,omitempty"`
	// Notes are caveats, e.g. a year with no State Council notice loaded.
	Notes     []string `json:"notes,omitempty"`
	Summary   string   `json:"summary"`
	SummaryZH string   `json:"summary_zh"`
}

// Due is a deadline: the instant it expires and how it was computed.
type Due struct {
	// At is the instant the period expires: 24:00 of LastDay for day periods (stored as 00:00 of
	// the next day), the exact minute for minute and hour periods.
	At          time.Time   `json:"at"`
	LastDay     Date        `json:"last_day"`
	Explanation Explanation `json:"explanation"`
}

// Calendar knows which dates are working days: the State Council notices plus regional
// holidays. It is immutable once built and safe for concurrent use; it never reads the clock,
// so a workflow may call it and replay the same answer.
type Calendar struct {
	national map[Date]Holiday
	regional map[Date]Holiday
	years    map[int]bool
}

// NewCalendar is the calendar of the built-in State Council notices plus the given regional
// holidays; a regional entry wins over a national one on the same date.
func NewCalendar(regional ...Holiday) *Calendar {
	return CalendarOf(builtinNotices, regional)
}

// CalendarOf is the calendar of the given State Council notices plus the regional holidays; a
// regional entry wins over a national one on the same date.
func CalendarOf(notices []Notice, regional []Holiday) *Calendar {
	c := &Calendar{national: map[Date]Holiday{}, regional: map[Date]Holiday{}, years: map[int]bool{}}
	for _, n := range notices {
		c.years[n.Year] = true
		for _, h := range n.Days {
			c.national[h.Date] = h
		}
	}
	for _, h := range regional {
		c.regional[h.Date] = h
	}
	return c
}

// Regional is a copy of the calendar's regional holidays, in date order.
func (c *Calendar) Regional() []Holiday {
	out := make([]Holiday, 0, len(c.regional))
	for _, h := range c.regional {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return out
}

// HasNotice reports whether the State Council notice for year is loaded.
func (c *Calendar) HasNotice(year int) bool { return c.years[year] }

// Day says what d is and, for anything but an ordinary working day, why.
func (c *Calendar) Day(d Date) (DayKind, string) {
	if h, ok := c.regional[d]; ok {
		where := ""
		if h.Region != "" {
			where = " (" + h.Region + ")"
		}
		if h.Workday {
			return DayMakeupWorkday, "make-up working day counted (" + h.Label() + where + ")"
		}
		return DayRegionalHoliday, h.Label() + " regional holiday" + where
	}
	if h, ok := c.national[d]; ok {
		if h.Workday {
			return DayMakeupWorkday, "make-up working day counted (" + h.Label() + ")"
		}
		return DayHoliday, h.Label() + " holiday"
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return DayWeekend, "weekend"
	}
	return DayWorkday, ""
}

// IsWorkday reports whether d is a working day: a weekday that is no holiday, or a make-up
// working day.
func (c *Calendar) IsWorkday(d Date) bool {
	k, _ := c.Day(d)
	return k == DayWorkday || k == DayMakeupWorkday
}

// Due computes when a period started at from expires, not counting the suspensions:
//   - minutes and hours run by the clock from the moment from (Civil Code Art.201 para 2);
//     suspended time is added back;
//   - days and workdays start counting the day after from (Art.201); workdays count only
//     working days; a day period whose last day is a weekend or holiday ends on the next
//     working day instead (Art.203); a day touched by a suspension is not counted.
//
// A non-positive amount or an unknown unit gives the start itself, with a note.
func (c *Calendar) Due(from time.Time, p Period, suspensions ...Suspension) Due {
	from = from.In(Shanghai)
	ex := Explanation{From: from, Period: p, StartDay: DateOf(from)}
	if p.Amount <= 0 || !p.Unit.Valid() {
		ex.Notes = append(ex.Notes, fmt.Sprintf("the period %q is not a positive amount of minutes, hours, days or workdays: nothing was counted", p.String()))
		ex.Summary = "no deadline: " + ex.Notes[0]
		ex.SummaryZH = "期限无效，未计算"
		return Due{At: from, LastDay: ex.StartDay, Explanation: ex}
	}
	switch p.Unit {
	case UnitMinutes, UnitHours:
		return c.dueClock(from, p, suspensions, ex)
	}
	return c.dueDays(from, p, suspensions, ex)
}

func (c *Calendar) dueClock(from time.Time, p Period, sus []Suspension, ex Explanation) Due {
	step := time.Minute
	if p.Unit == UnitHours {
		step = time.Hour
	}
	end := from.Add(time.Duration(p.Amount) * step)
	var added time.Duration
	for _, s := range mergeSuspensions(sus) {
		if !s.From.Before(end) || !s.To.After(from) {
			continue
		}
		start := s.From
		if start.Before(from) {
			start = from
		}
		d := s.To.Sub(start)
		end = end.Add(d)
		added += d
		ex.Suspensions = append(ex.Suspensions, SuspensionNote{Suspension: s, Added: d})
	}
	ex.Notes = append(ex.Notes, "periods in minutes and hours run by the clock from the moment they start; weekends and holidays are not skipped (Civil Code Art.201)")
	ex.Summary = fmt.Sprintf("due %s: %s from %s", end.Format("2006-01-02 15:04"), p, from.Format("2006-01-02 15:04"))
	ex.SummaryZH = fmt.Sprintf("自%s起%s，至%s届满", from.Format("2006-01-02 15:04"), p.ZH(), end.Format("2006-01-02 15:04"))
	if added > 0 {
		ex.Summary += fmt.Sprintf(", plus %s of suspension", added)
		ex.SummaryZH += fmt.Sprintf("（中止%s不计入）", added)
	}
	ex.Summary += " (Asia/Shanghai)"
	return Due{At: end, LastDay: DateOf(end), Explanation: ex}
}

func (c *Calendar) dueDays(from time.Time, p Period, sus []Suspension, ex Explanation) Due {
	suspended := map[Date]int{} // date → index in merged
	merged := mergeSuspensions(sus)
	notes := make([]SuspensionNote, len(merged))
	for i, s := range merged {
		notes[i].Suspension = s
		if !s.To.After(from) {
			continue
		}
		last := DateOf(s.To.Add(-time.Nanosecond)) // a suspension ending at midnight leaves that day free
		for d := DateOf(s.From); !d.After(last); d = d.AddDays(1) {
			if d.After(ex.StartDay) {
				suspended[d] = i
			}
		}
	}
	amount := min(p.Amount, maxPeriodDays)
	if amount < p.Amount {
		ex.Notes = append(ex.Notes, fmt.Sprintf("the period was capped at %d days", maxPeriodDays))
	}
	d, counted := ex.StartDay, 0
	for guard := 0; counted < amount && guard < 4*maxPeriodDays; guard++ {
		d = d.AddDays(1)
		if i, ok := suspended[d]; ok {
			notes[i].Days++
			ex.Skipped = append(ex.Skipped, DayNote{d, DaySuspended, "suspended: " + merged[i].Reason})
			continue
		}
		kind, why := c.Day(d)
		if p.Unit == UnitWorkdays && kind != DayWorkday && kind != DayMakeupWorkday {
			ex.Skipped = append(ex.Skipped, DayNote{d, kind, why})
			continue
		}
		if p.Unit == UnitDays && why != "" && kind != DayMakeupWorkday {
			why += ", counted: calendar days include rest days"
		}
		counted++
		ex.Counted = append(ex.Counted, DayNote{d, kind, why})
	}
	reached := d
	if p.Unit == UnitDays {
		for guard := 0; !c.IsWorkday(d) && guard < 366; guard++ {
			kind, why := c.Day(d)
			ex.Moved = append(ex.Moved, DayNote{d, kind, why})
			d = d.AddDays(1)
		}
	}
	for _, n := range notes {
		if n.Days > 0 {
			ex.Suspensions = append(ex.Suspensions, n)
		}
	}
	for y := ex.StartDay.Year; y <= d.Year; y++ {
		if !c.HasNotice(y) {
			ex.Notes = append(ex.Notes, fmt.Sprintf("no State Council holiday notice is loaded for %d: only weekends and regional holidays were treated as rest days that year", y))
		}
	}
	ex.Summary, ex.SummaryZH = summarizeDays(ex, p, reached, d)
	return Due{At: d.End(), LastDay: d, Explanation: ex}
}

func summarizeDays(ex Explanation, p Period, reached, last Date) (string, string) {
	unit, unitZH := "calendar days", "日"
	if p.Unit == UnitWorkdays {
		unit, unitZH = "working days", "个工作日"
	}
	var en, zh strings.Builder
	fmt.Fprintf(&en, "due by the end of %s (24:00 Asia/Shanghai): %d %s counted from the day after %s (the start day is not counted, Civil Code Art.201)",
		last, p.Amount, unit, ex.StartDay)
	fmt.Fprintf(&zh, "自%s次日起算%d%s（开始当日不计入，民法典第二百零一条），", ex.StartDay.ZH(), p.Amount, unitZH)
	if n := len(ex.Skipped); n > 0 {
		fmt.Fprintf(&en, "; %d days skipped", n)
		fmt.Fprintf(&zh, "跳过%d天，", n)
	}
	if last != reached {
		fmt.Fprintf(&en, "; the period reached %s, a rest day (%s), so it ends on the next working day %s (Civil Code Art.203)",
			reached, ex.Moved[0].Reason, last)
		fmt.Fprintf(&zh, "期间最后一日%s为休息日或法定节假日，顺延至%s（民法典第二百零三条），", reached.ZH(), last.ZH())
	}
	sdays := 0
	for _, s := range ex.Suspensions {
		sdays += s.Days
	}
	if sdays > 0 {
		fmt.Fprintf(&en, "; %d suspended days not counted", sdays)
		fmt.Fprintf(&zh, "中止%d天不计入，", sdays)
	}
	fmt.Fprintf(&zh, "于%s24时届满", last.ZH())
	for _, n := range ex.Notes {
		en.WriteString("; note: " + n)
	}
	return en.String(), zh.String()
}

// mergeSuspensions sorts suspensions and merges overlapping ones, so time suspended twice is
// only added once; an empty or backwards suspension is dropped.
func mergeSuspensions(in []Suspension) []Suspension {
	var out []Suspension
	for _, s := range in {
		if s.To.After(s.From) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Suspension) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && !s.From.After(merged[n-1].To) {
			if s.To.After(merged[n-1].To) {
				merged[n-1].To = s.To
			}
			if s.Reason != "" && s.Reason != merged[n-1].Reason {
				merged[n-1].Reason += "; " + s.Reason
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}
