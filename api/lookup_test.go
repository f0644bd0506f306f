package api_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/lookup"
)

// residentID is a random valid resident ID number (its check character computed), and a
// neighbour of it: the same number with one digit of the sequence changed, valid as well.
func residentID() (string, string) {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	withCheck := func(base string) string {
		sum := 0
		for i, c := range base {
			sum += int(c-'0') * weights[i]
		}
		return base + string("10X98765432"[sum%11])
	}
	base := fmt.Sprintf("150627%04d%02d%02d%03d", 1950+rand.IntN(50), 1+rand.IntN(12), 1+rand.IntN(28), rand.IntN(900))
	other := base[:16] + string('0'+(base[16]-'0'+1)%10)
	return withCheck(base), withCheck(other)
}

// randomPhone is a mobile number no other test uses.
func randomPhone() string { return fmt.Sprintf("139%08d", rand.IntN(100000000)) }

func withLookupKey(t *testing.T) func(*api.Server) {
	text, err := lookup.NewKeyText()
	require.NoError(t, err)
	k, err := lookup.ParseKey(text)
	require.NoError(t, err)
	return func(s *api.Server) { s.Lookup = k }
}

func residentsPetition(id, phone string) map[string]any {
	p := petition()
	data := p["data"].(map[string]any)
	data["phone"], data["id_number"] = phone, id
	return p
}

func lookupNumbers(t *testing.T, cs *caseServer, user string, body map[string]any) []string {
	t.Helper()
	status, out := cs.do(t, http.MethodPost, "/v1/residents/lookup", user, body)
	require.Equal(t, http.StatusOK, status, out)
	var numbers []string
	for _, it := range out["items"].([]any) {
		numbers = append(numbers, it.(map[string]any)["number"].(string))
	}
	return numbers
}

func TestResidentLookupFindsTheResidentsOtherMatters(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t, withLookupKey(t))
	id, neighbour := residentID()
	require.True(t, definitions.ValidResidentID(id) && definitions.ValidResidentID(neighbour), "%s %s", id, neighbour)
	phone, otherPhone := randomPhone(), randomPhone()

	status, first := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", residentsPetition(id, phone))
	require.Equal(t, http.StatusCreated, status, first)
	status, second := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", residentsPetition(neighbour, otherPhone))
	require.Equal(t, http.StatusCreated, status, second)

	// By the ID number, written as a clerk may type it, only the resident's own case; never the
	// neighbour's, whose number differs in one digit.
	require.Equal(t, []string{first["number"].(string)}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"id_number": id[:6] + " " + id[6:]}))
	require.Equal(t, []string{second["number"].(string)}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"id_number": neighbour}))
	status, out := cs.do(t, http.MethodPost, "/v1/residents/lookup", "clerk-galutu", map[string]any{"id_number": id, "phone": "+86 " + phone})
	require.Equal(t, http.StatusOK, status, out)
	items := out["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, []any{"id_number", "phone"}, items[0].(map[string]any)["matched_by"])
	require.EqualValues(t, 1, items[0].(map[string]any)["visits"])

	// Outside the clerk's scope nothing is found: a village clerk below the town does not see
	// the town's case, nor does the other county's clerk.
	require.Empty(t, lookupNumbers(t, cs, "clerk-sarula", map[string]any{"id_number": id}))
	require.Empty(t, lookupNumbers(t, cs, "clerk-otog", map[string]any{"phone": phone}))

	// What is no number is refused where it is; nothing to look up is refused too.
	wrongCheck := id[:17] + "0"
	if id[17] == '0' {
		wrongCheck = id[:17] + "1"
	}
	status, out = cs.do(t, http.MethodPost, "/v1/residents/lookup", "clerk-galutu", map[string]any{"id_number": wrongCheck, "phone": "12345"})
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.ElementsMatch(t, []string{"body.id_number", "body.phone"}, locations(out))
	status, out = cs.do(t, http.MethodPost, "/v1/residents/lookup", "clerk-galutu", map[string]any{})
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	status, out = cs.do(t, http.MethodPost, "/v1/residents/lookup", "auditor", map[string]any{"id_number": id})
	require.Equal(t, http.StatusForbidden, status, out)
}

func TestRepeatedVisitsCount(t *testing.T) {
	t.Parallel()
	// A database of the test's own: the statistics below count its cases only.
	cs := newCaseServerOn(t, ownCenterStore(t), withLookupKey(t))
	id, _ := residentID()
	phone := randomPhone()

	// At the village window: the resident comes again about the open matter. The clerk records
	// the visit, and the village's rule (visits >= 2) passes the case up to the town.
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", residentsPetition(id, phone))
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, "galutu-v01", c["org_unit"])
	require.EqualValues(t, 1, c["visits"])
	number := c["number"].(string)
	status, out := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-sarula", map[string]any{"type": "visit"})
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-sarula",
		map[string]any{"type": "visit", "reason": "第二次来访，称邻居仍占用草场"})
	require.Equal(t, http.StatusOK, status, out)
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.EqualValues(t, 2, got["visits"])
	require.Equal(t, "galutu", got["org_unit"], "the village's escalation rule sees the visits")

	// Registering the open matter again as a repeated visit is refused: record it on the case.
	repeat := residentsPetition(id, phone)
	repeat["repeat_of"] = number
	status, out = cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", repeat)
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.Equal(t, []string{"body.repeat_of"}, locations(out))

	// Once it is closed, the resident's next visit on the matter is a new case that counts one
	// visit more, linked both ways.
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "supervisor-banner",
		map[string]any{"type": "close", "outcome": "resolved", "result": "已协调退还草场"})
	require.Equal(t, http.StatusOK, status, out)
	status, again := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", repeat)
	require.Equal(t, http.StatusCreated, status, again)
	require.EqualValues(t, 3, again["visits"])
	require.Equal(t, []any{map[string]any{"case_id": c["id"], "number": number, "matter": "petition", "relation": "repeat_of"}}, again["links"])
	status, got = cs.do(t, http.MethodGet, "/v1/cases/"+number, "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, got)
	require.Equal(t, []any{map[string]any{"case_id": again["id"], "number": again["number"], "matter": "petition", "relation": "repeated_by"}}, got["links"])
	// Both are the resident's, newest first.
	require.Equal(t, []string{again["number"].(string), number}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"id_number": id}))

	// The statistics count both as repeated (重复访), each where it was received.
	for unit, want := range map[string]int{"galutu": 2, "galutu-v01": 1} {
		status, stats := cs.do(t, http.MethodGet, "/v1/stats?org_unit="+unit, "supervisor-banner", nil)
		require.Equal(t, http.StatusOK, status, stats)
		require.EqualValues(t, want, stats["repeated"], "%s: %v", unit, stats)
		require.EqualValues(t, want, stats["received"], "%s: %v", unit, stats)
		require.EqualValues(t, 1, stats["repeated_rate"], "%s: %v", unit, stats)
	}
}

// TestGroupMattersCount: the statistics count a matter as 集体访 when several residents are
// named on its case or its form says five people or more, and no other.
func TestGroupMattersCount(t *testing.T) {
	t.Parallel()
	// A database of the test's own: the statistics below count its cases only.
	cs := newCaseServerOn(t, ownCenterStore(t), withLookupKey(t))
	register := func(people int) string {
		t.Helper()
		id, _ := residentID()
		p := residentsPetition(id, randomPhone())
		p["data"].(map[string]any)["people"] = people
		status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", p)
		require.Equal(t, http.StatusCreated, status, c)
		return c["number"].(string)
	}
	register(1)
	register(4)
	register(8) // 集体访 by its form
	joined := register(1)
	status, out := cs.do(t, http.MethodPost, "/v1/cases/"+joined+"/residents", "clerk-galutu",
		map[string]any{"name": "李四", "phone": randomPhone(), "note": "同村牧户"})
	require.Equal(t, http.StatusOK, status, out)

	status, stats := cs.do(t, http.MethodGet, "/v1/stats?org_unit=galutu", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, 4, stats["received"], "%v", stats)
	require.EqualValues(t, 2, stats["group_matters"], "%v", stats)
	require.EqualValues(t, 0.5, stats["group_matters_rate"], "%v", stats)
	status, stats = cs.do(t, http.MethodGet, "/v1/stats?matter=mediation", "supervisor-banner", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, 0, stats["group_matters"], "%v", stats)
}

// TestGroupMatterResidents: residents who come together about one matter (集体访) are added to
// its case; each is then found by the lookup, a department's staff see their numbers masked, and
// the same resident is not added twice.
func TestGroupMatterResidents(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t, withLookupKey(t))
	id, _ := residentID()
	phone := randomPhone()
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", residentsPetition(id, phone))
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)

	second, _ := residentID()
	secondPhone, thirdPhone := randomPhone(), randomPhone()
	status, out := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu",
		map[string]any{"name": "李四", "id_number": second, "phone": secondPhone, "note": "同村牧户，草场同被占用"})
	require.Equal(t, http.StatusOK, status, out)
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu",
		map[string]any{"name": "王五", "phone": "+86 " + thirdPhone})
	require.Equal(t, http.StatusOK, status, out)
	residents := out["residents"].([]any)
	require.Len(t, residents, 2)
	require.Equal(t, "王五", residents[1].(map[string]any)["name"])
	require.Equal(t, thirdPhone, residents[1].(map[string]any)["phone"], "kept as the lookup reads it")

	// Each is found by their own numbers; the first resident still by theirs.
	require.Equal(t, []string{number}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"id_number": second}))
	require.Equal(t, []string{number}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"phone": thirdPhone}))
	require.Equal(t, []string{number}, lookupNumbers(t, cs, "clerk-galutu", map[string]any{"id_number": id}))

	// The same request again (the phone written otherwise) is a retry: nobody is added twice. The
	// same resident with more numbers is refused.
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu",
		map[string]any{"name": "王五", "phone": thirdPhone[:3] + " " + thirdPhone[3:]})
	require.Equal(t, http.StatusOK, status, out)
	require.Len(t, out["residents"], 2)
	third, _ := residentID()
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu",
		map[string]any{"name": "王五", "phone": thirdPhone, "id_number": third})
	require.Equal(t, http.StatusConflict, status, out)
	require.Contains(t, fmt.Sprint(out), "王五 already brings the matter")
	// Bad numbers, or none, are named; an auditor adds nobody; a case out of scope is not found.
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu", map[string]any{"name": "赵六", "phone": "12345"})
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	require.Equal(t, []string{"body.phone"}, locations(out))
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-galutu", map[string]any{"name": "赵六"})
	require.Equal(t, http.StatusUnprocessableEntity, status, out)
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "auditor", map[string]any{"name": "赵六", "phone": randomPhone()})
	require.Equal(t, http.StatusForbidden, status, out)
	status, out = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/residents", "clerk-otog", map[string]any{"name": "赵六", "phone": randomPhone()})
	require.Equal(t, http.StatusNotFound, status, out)

	// The timeline says who joined; the auditor reads the numbers masked, there and on the case.
	status, tl := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, tl)
	require.Contains(t, fmt.Sprint(tl["entries"]), "集体访：李四一同反映（共 2 人）；同村牧户，草场同被占用")
	require.Contains(t, fmt.Sprint(tl["entries"]), "集体访：王五一同反映（共 3 人）")
	require.Contains(t, fmt.Sprint(tl), second, "the clerk reads the numbers in the case's snapshots")
	status, got := cs.do(t, http.MethodGet, "/v1/cases/"+number, "auditor", nil)
	require.Equal(t, http.StatusOK, status, got)
	masked := got["residents"].([]any)[0].(map[string]any)
	require.NotEqual(t, second, masked["id_number"])
	require.Equal(t, second[:4], masked["id_number"].(string)[:4])
	status, tl = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/timeline", "auditor", nil)
	require.Equal(t, http.StatusOK, status, tl)
	require.NotContains(t, fmt.Sprint(tl), second, "the audit snapshots mask the residents' numbers too")
	require.NotContains(t, fmt.Sprint(tl), thirdPhone)
}
