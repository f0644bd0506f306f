package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// An administrator above the counties enters a year's State Council notice through the API; the
// deadlines count with it at once, a bad notice is refused at its day with nothing written, and
// a case registered afterwards counts on it while one registered before keeps its own.
func TestStateCouncilNotices(t *testing.T) {
	t.Parallel()
	cs := newCaseServerOn(t, ownCenterStore(t)) // the notices are every test's calendar: a database of its own
	due := func(from string, workdays int) map[string]any {
		t.Helper()
		status, out := cs.do(t, http.MethodGet, "/v1/calendar/due?from="+from+"&amount="+strconv.Itoa(workdays)+"&unit=workdays", "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, out)
		return out
	}
	notices := func() map[float64]map[string]any {
		t.Helper()
		status, list := cs.do(t, http.MethodGet, "/v1/calendar/holidays", "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, list)
		out := map[float64]map[string]any{}
		for _, n := range list["notices"].([]any) {
			out[n.(map[string]any)["year"].(float64)] = n.(map[string]any)
		}
		return out
	}

	// The built-in notices are in the new database; 2027 has none yet.
	loaded := notices()
	require.Len(t, loaded, 2)
	require.Contains(t, loaded[2026]["title"], "2026年部分节假日安排")
	require.Len(t, loaded[2026]["days"], len(definitions.BuiltinNotices()[1].Days))
	before := due("2026-12-30", 3)
	require.Equal(t, "2027-01-04", before["last_day"], "31 Dec, 1 and 4 Jan: without a notice 1 Jan is a working day")
	require.Contains(t, before["explanation"].(map[string]any)["notes"], "no State Council holiday notice is loaded for 2027: only weekends and regional holidays were treated as rest days that year")

	day := func(date, name string, workday bool) map[string]any {
		return map[string]any{"date": date, "name": name, "workday": workday}
	}
	good := map[string]any{"title": "国务院办公厅关于2027年部分节假日安排的通知", "issued": "2026-11-10", "days": []any{
		day("2027-01-01", "元旦", false), day("2027-01-02", "元旦", false), day("2027-01-03", "元旦", false),
		day("2027-02-06", "春节", false), day("2027-02-07", "春节", false), day("2027-02-20", "春节", true),
	}}

	status, refused := cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "clerk-galutu", good)
	require.Equal(t, http.StatusForbidden, status, refused)
	status, refused = cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "admin-wushen", good, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusForbidden, status, "a notice is every county's: not one county administrator's")
	require.Contains(t, refused["detail"], "旗县管理员不能")

	bad := map[string]any{"title": "2027", "issued": "2026-11-31", "days": []any{
		day("2027-01-01", "元旦", false),
		day("2027-01-01", "元旦", true),   // a make-up working day on a holiday
		day("2027-02-17", "春节", true),   // a Wednesday
		day("2026-10-01", "国庆节", false), // the 2026 notice's, and outside 2027's reach
		day("2027-02-06", "春节", false),
		day("2027-02-06", "春节", false), // twice
	}}
	status, refused = cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "admin", bad)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, []string{"body.issued"}, locations(refused), "the dates are checked first")
	bad["issued"] = "2026-11-10"
	status, refused = cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "admin", bad, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, []string{"body.days[1].date", "body.days[2].date", "body.days[3].date", "body.days[5].date"}, locations(refused))
	messages := problemMessages(refused)
	require.Equal(t, "2027-01-01既是放假日又是调休上班日", messages[0])
	require.Equal(t, "2027-02-17是工作日：调休上班日须为周六或周日", messages[1])
	require.Equal(t, "2026-10-01不在2027年通知的范围内（2026-12-01至2028-01-31）", messages[2])
	require.Equal(t, "2027-02-06重复列出", messages[3])
	status, refused = cs.do(t, http.MethodPut, "/v1/calendar/notices/1999", "admin", good)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, []string{"path.year"}, locations(refused))
	require.NotContains(t, notices(), float64(2027), "nothing written")

	status, entered := cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "admin", good)
	require.Equal(t, http.StatusOK, status, entered)
	require.Equal(t, "admin", entered["entered_by"])
	require.Len(t, entered["days"], 6)
	after := due("2026-12-30", 3)
	require.Equal(t, "2027-01-05", after["last_day"], "31 Dec, 4 and 5 Jan: the notice counts at once")
	require.Empty(t, after["explanation"].(map[string]any)["notes"])
	require.Equal(t, "2027-02-20", due("2027-02-18", 2)["last_day"], "19 and 20 Feb: the make-up Saturday counts")

	// A day belongs to one notice only.
	status, next := cs.do(t, http.MethodPut, "/v1/calendar/notices/2028", "admin", map[string]any{"title": "2028年通知", "issued": "2027-11-05",
		"days": []any{day("2027-12-31", "元旦", false), day("2028-01-01", "元旦", false)}})
	require.Equal(t, http.StatusOK, status, next)
	good["days"] = append(good["days"].([]any), day("2027-12-31", "元旦", false))
	status, refused = cs.do(t, http.MethodPut, "/v1/calendar/notices/2027", "admin", good)
	require.Equal(t, http.StatusUnprocessableEntity, status, refused)
	require.Equal(t, []string{"body.days[6].date"}, locations(refused))
	require.Equal(t, []string{"2027-12-31 is already set by the 2028 notice"}, problemMessages(refused))
	status, _ = cs.do(t, http.MethodDelete, "/v1/calendar/notices/2028", "admin-wushen", nil)
	require.Equal(t, http.StatusForbidden, status)
	status, _ = cs.do(t, http.MethodDelete, "/v1/calendar/notices/2028", "admin", nil)
	require.Equal(t, http.StatusNoContent, status)
	status, _ = cs.do(t, http.MethodDelete, "/v1/calendar/notices/2028", "admin", nil)
	require.Equal(t, http.StatusNotFound, status)

	// This year's notice replaced with every weekday of the next three weeks a rest day: a
	// petition's 15 days, which end on a rest day, move past them for a case registered after;
	// one registered before keeps its due date.
	status, first := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, first)
	today := definitions.DateOf(time.Now())
	this := notices()[float64(today.Year)]
	var days []any
	taken := map[string]bool{}
	if this != nil {
		for _, d := range this["days"].([]any) {
			days = append(days, d)
			taken[d.(map[string]any)["date"].(string)] = true
		}
	}
	for d := today.AddDays(1); !d.After(today.AddDays(21)); d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !taken[d.String()] {
			days = append(days, day(d.String(), "测试假期", false))
		}
	}
	status, replaced := cs.do(t, http.MethodPut, "/v1/calendar/notices/"+strconv.Itoa(today.Year), "admin",
		map[string]any{"title": "测试通知", "issued": today.AddDays(-30).String(), "days": days})
	require.Equal(t, http.StatusOK, status, replaced)
	status, second := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, second)
	dueOf := func(number string) time.Time {
		t.Helper()
		status, c := cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-galutu", nil)
		require.Equal(t, http.StatusOK, status, c)
		at, err := time.Parse(time.RFC3339, c["due_at"].(string))
		require.NoError(t, err)
		return at
	}
	firstDue, secondDue := dueOf(first["number"].(string)), dueOf(second["number"].(string))
	require.True(t, definitions.DateOf(secondDue).After(today.AddDays(21)), "the rest days are not counted: due %s", secondDue)
	require.False(t, definitions.DateOf(firstDue).After(today.AddDays(18)), "the case registered before keeps its due date: %s", firstDue)
}

// problemMessages are the messages of a problem's errors, in order.
func problemMessages(problem map[string]any) []string {
	var out []string
	for _, e := range problem["errors"].([]any) {
		out = append(out, e.(map[string]any)["message"].(string))
	}
	return out
}
