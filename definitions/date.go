package definitions

import (
	"fmt"
	"time"
	_ "time/tzdata" // so Asia/Shanghai loads on hosts and containers without a zoneinfo database
)

// Shanghai is the zone every deadline is counted in: China has one civil time, and a date such
// as "the 15th day" means a date on the wall calendar of the governance center.
var Shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("definitions: load %s: %v", name, err))
	}
	return loc
}

// Date is a civil date (year, month, day) without a time of day. Holidays, the start day of a
// period and the last day of a deadline are dates, not instants; keeping them apart from
// time.Time avoids off-by-one errors at midnight. It reads and writes as "2006-01-02".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MomentZH writes a moment as Chinese documents do: the end of a day as that day's 24时
// (2026年4月13日24时), another time with its hour and minute (2026年4月13日9时30分), in Beijing time.
func MomentZH(t time.Time) string {
	t = t.In(Shanghai)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return DateOf(t.Add(-time.Nanosecond)).ZH() + "24时"
	}
	return fmt.Sprintf("%s%d时%02d分", DateOf(t).ZH(), t.Hour(), t.Minute())
}

// ZH writes the date as Chinese documents do, e.g. 2026年2月24日, so that a time after it reads
// apart from it (2026年2月24日24时).
func (d Date) ZH() string { return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day) }

// DateOf is the date of t on the Asia/Shanghai wall calendar.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{y, m, d}
}

// NewDate builds a date, normalising overflow (Feb 30 becomes Mar 2) like time.Date.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 12, 0, 0, 0, Shanghai))
}

// ParseDate reads a date written as "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Shanghai)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date written as YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// Start is midnight at the beginning of the date in Asia/Shanghai.
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Shanghai) }

// End is the instant the date ends (24:00, i.e. midnight of the next day): Civil Code Art.203
// makes the last day of a period end at 24:00.
func (d Date) End() time.Time { return d.AddDays(1).Start() }

// AddDays is the date n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday is the day of the week of the date.
func (d Date) Weekday() time.Weekday { return d.Start().Weekday() }

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d comes after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare is -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// IsZero reports whether d is the zero Date (no date given).
func (d Date) IsZero() bool { return d == Date{} }

// String writes the date as "2006-01-02".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText writes the date as "2006-01-02" in JSON and YAML.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written as "2006-01-02"; an empty text is the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
