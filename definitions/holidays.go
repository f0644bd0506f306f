package definitions

import (
	"fmt"
	"time"
)

// Holiday is one rest day, or one make-up working day (调休上班), on the calendar. National
// ones come from the State Council's yearly notice; an administrator adds regional ones (for
// example a holiday the autonomous region declares) with a Region label.
type Holiday struct {
	Date   Date   `json:"date" yaml:"date"`
	Name   string `json:"name" yaml:"name"`                           // Chinese name, e.g. 春节
	NameEN string `json:"name_en,omitempty" yaml:"name_en,omitempty"` // English name, e.g. Spring Festival
	// Region is empty for a national day and names the region otherwise (e.g. 内蒙古自治区).
	Region string `json:"region,omitempty" yaml:"region,omitempty"`
	// Workday marks a make-up working day: a weekend day on which people work (调休上班).
	Workday bool `json:"workday,omitempty" yaml:"workday,omitempty"`
	// County is the county (its government unit's code) whose cases the regional holiday
	// applies to; empty for every county.
	County string `json:"county,omitempty" yaml:"county,omitempty"`
}

// Label is the holiday's name in both languages, e.g. "春节 Spring Festival".
func (h Holiday) Label() string {
	if h.NameEN == "" {
		return h.Name
	}
	return h.Name + " " + h.NameEN
}

// Notice is the State Council General Office's notice on one year's holidays (国务院办公厅关于
// 某年部分节假日安排的通知): the rest days and the make-up working days it sets.
//
// The notices live in the database: the built-in ones (BuiltinNotices) are loaded when it is
// created, and an administrator enters each new year's as it is published.
type Notice struct {
	Year     int       `json:"year"`
	Title    string    `json:"title"`
	Issued   Date      `json:"issued"`
	Days     []Holiday `json:"days"`
	Verified string    `json:"verified,omitempty"` // where the dates were checked, for the reviewer
	// EnteredBy and EnteredAt say who entered the notice and when; empty in a case's own copy.
	EnteredBy string     `json:"entered_by,omitempty"`
	EnteredAt *time.Time `json:"entered_at,omitempty"`
}

// NoticeProblem is one thing wrong with a notice being entered: with its day Days[Day], or with
// the notice itself when Day is -1.
type NoticeProblem struct {
	Day     int
	Message string
}

// Check lists what is wrong with the notice, given the notices of the other years: a day
// outside the notice's reach (1 December of the year before to 31 January of the year after),
// a day listed twice, a make-up working day on one of the notice's holidays or on a weekday,
// or a day another year's notice already sets.
func (n Notice) Check(others []Notice) []NoticeProblem {
	var out []NoticeProblem
	if len(n.Days) == 0 {
		out = append(out, NoticeProblem{-1, "a notice sets at least one day"})
	}
	first, last := NewDate(n.Year-1, time.December, 1), NewDate(n.Year+1, time.January, 31)
	taken := map[Date]int{}
	for _, o := range others {
		if o.Year == n.Year {
			continue
		}
		for _, h := range o.Days {
			taken[h.Date] = o.Year
		}
	}
	seen := map[Date]int{}
	for i, h := range n.Days {
		switch j, dup := seen[h.Date]; {
		case h.Date.Before(first) || h.Date.After(last):
			out = append(out, NoticeProblem{i, fmt.Sprintf("%s is outside the reach of the %d notice (%s to %s)", h.Date, n.Year, first, last)})
		case dup && h.Workday != n.Days[j].Workday:
			out = append(out, NoticeProblem{i, fmt.Sprintf("%s is both a holiday and a make-up working day", h.Date)})
		case dup:
			out = append(out, NoticeProblem{i, fmt.Sprintf("%s is listed twice", h.Date)})
		case h.Workday && h.Date.Weekday() != time.Saturday && h.Date.Weekday() != time.Sunday:
			out = append(out, NoticeProblem{i, fmt.Sprintf("%s is a weekday: a make-up working day is a Saturday or a Sunday", h.Date)})
		case taken[h.Date] != 0:
			out = append(out, NoticeProblem{i, fmt.Sprintf("%s is already set by the %d notice", h.Date, taken[h.Date])})
		}
		if _, dup := seen[h.Date]; !dup {
			seen[h.Date] = i
		}
	}
	return out
}

// span is the rest days from..to of one holiday.
func span(name, en string, y int, m1 time.Month, d1 int, m2 time.Month, d2 int) []Holiday {
	var out []Holiday
	for d, end := NewDate(y, m1, d1), NewDate(y, m2, d2); !d.After(end); d = d.AddDays(1) {
		out = append(out, Holiday{Date: d, Name: name, NameEN: en})
	}
	return out
}

// makeup is a make-up working day (调休上班) that belongs to a holiday.
func makeup(name, en string, y int, m time.Month, d int) []Holiday {
	return []Holiday{{Date: NewDate(y, m, d), Name: name + "调休上班", NameEN: en + " make-up working day", Workday: true}}
}

func join(parts ...[]Holiday) []Holiday {
	var out []Holiday
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// builtinNotices are the State Council notices a new database starts with. A later year's is
// entered by an administrator when it is published (usually in November of the year before);
// until then that year is counted with weekends only, and every explanation for it says so.
var builtinNotices = []Notice{
	{
		// 国办发明电〔2024〕12号, issued 2024-11-12 after the revised 全国年节及纪念日放假办法
		// added a day each to the Spring Festival and Labour Day.
		Year:   2025,
		Title:  "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
		Issued: NewDate(2024, 11, 12),
		Days: join(
			span("元旦", "New Year's Day", 2025, 1, 1, 1, 1),
			span("春节", "Spring Festival", 2025, 1, 28, 2, 4),
			makeup("春节", "Spring Festival", 2025, 1, 26),
			makeup("春节", "Spring Festival", 2025, 2, 8),
			span("清明节", "Qingming Festival", 2025, 4, 4, 4, 6),
			span("劳动节", "Labour Day", 2025, 5, 1, 5, 5),
			makeup("劳动节", "Labour Day", 2025, 4, 27),
			span("端午节", "Dragon Boat Festival", 2025, 5, 31, 6, 2),
			span("国庆节、中秋节", "National Day and Mid-Autumn Festival", 2025, 10, 1, 10, 8),
			makeup("国庆节、中秋节", "National Day and Mid-Autumn Festival", 2025, 9, 28),
			makeup("国庆节、中秋节", "National Day and Mid-Autumn Festival", 2025, 10, 11),
		),
		Verified: "Xinhua text of 2024-11-12 as reprinted by gmw.cn (m.gmw.cn/2024-11/12/content_1303894933.htm)",
	},
	{
		// Issued 2025-11-04; the nine-day Spring Festival runs from 腊月二十八 to 正月初七.
		Year:   2026,
		Title:  "国务院办公厅关于2026年部分节假日安排的通知",
		Issued: NewDate(2025, 11, 4),
		Days: join(
			span("元旦", "New Year's Day", 2026, 1, 1, 1, 3),
			makeup("元旦", "New Year's Day", 2026, 1, 4),
			span("春节", "Spring Festival", 2026, 2, 15, 2, 23),
			makeup("春节", "Spring Festival", 2026, 2, 14),
			makeup("春节", "Spring Festival", 2026, 2, 28),
			span("清明节", "Qingming Festival", 2026, 4, 4, 4, 6),
			span("劳动节", "Labour Day", 2026, 5, 1, 5, 5),
			makeup("劳动节", "Labour Day", 2026, 5, 9),
			span("端午节", "Dragon Boat Festival", 2026, 6, 19, 6, 21),
			span("中秋节", "Mid-Autumn Festival", 2026, 9, 25, 9, 27),
			span("国庆节", "National Day", 2026, 10, 1, 10, 7),
			makeup("国庆节", "National Day", 2026, 9, 20),
			makeup("国庆节", "National Day", 2026, 10, 10),
		),
		Verified: "Xinhua text of 2025-11-04 as reprinted by gmw.cn (politics.gmw.cn/2025-11/04/content_38391083.htm) and 中山日报 2025-11-05 A01",
	},
}

// BuiltinNotices is a copy of the State Council notices a new database starts with. They are
// also the calendar of the cases started before the notices moved to the database.
func BuiltinNotices() []Notice {
	out := make([]Notice, len(builtinNotices))
	for i, n := range builtinNotices {
		n.Days = append([]Holiday(nil), n.Days...)
		out[i] = n
	}
	return out
}
