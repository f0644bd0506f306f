package api_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
)

// A procedure an administrator writes for a matter of their own (docs/procedures.md) is used like
// a built-in one: cases of its matter are registered, acted on, searched and counted.
func TestProcedureOfItsOwnMatter(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	land := func() map[string]any {
		return map[string]any{"matter": "land_dispute", "channel": "visit", "subject": "草场边界纠纷", "resident_name": "张三",
			"data": map[string]any{"name": "张三", "topic": "land", "question": "邻居占用草场，如何维权？"}}
	}

	// Before its procedure is published the matter is unknown, and the 422 says which are known.
	status, body := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", land())
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	msg := errorsOf(body)["body.matter"]
	require.Contains(t, msg, "the known matters are ")
	require.Contains(t, msg, "petition")
	require.NotContains(t, msg, "land_dispute")

	src := yamlOf(t, "land_dispute", "matter: consultation", "matter: land_dispute", "name: 法律咨询", "name: 土地纠纷")
	status, body = cs.do(t, http.MethodPost, "/v1/procedures", "admin", map[string]any{"yaml": src})
	require.Equal(t, http.StatusCreated, status, body)
	version := int(body["version"].(float64))
	status, body = cs.do(t, http.MethodPost, "/v1/procedures/land_dispute/versions/"+strconv.Itoa(version)+"/publish", "admin", nil)
	require.Equal(t, http.StatusOK, status, body)

	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", land())
	require.Equal(t, http.StatusCreated, status, c)
	require.Equal(t, "land_dispute", c["matter"])
	require.Equal(t, "land_dispute", c["procedure_key"])
	year := time.Now().In(definitions.Shanghai).Year()
	require.Regexp(t, `^WS-LAND_DISPUTE-`+strconv.Itoa(year)+`-\d{6}$`, c["number"])
	number := c["number"].(string)

	status, c = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu",
		map[string]any{"type": "complete", "outcome": "register"})
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "accept", c["step"])

	// The read side filters by the matter like any other.
	status, page := cs.do(t, http.MethodGet, "/v1/cases?matter=land_dispute", "clerk-galutu", nil)
	require.Equal(t, http.StatusOK, status, page)
	items := page["items"].([]any)
	require.Len(t, items, 1)
	require.Equal(t, number, items[0].(map[string]any)["number"])
	status, stats := cs.do(t, http.MethodGet, "/v1/stats?matter=land_dispute", "supervisor-galutu", nil)
	require.Equal(t, http.StatusOK, status, stats)
	require.EqualValues(t, 1, stats["received"], "%v", stats)

	// Another matter of one's own is still unknown, and one that is no code is the schema's.
	other := land()
	other["matter"] = "water_dispute"
	status, body = cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", other)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Regexp(t, regexp.MustCompile(`known matters are .*land_dispute`), errorsOf(body)["body.matter"])
	other["matter"] = "Water Dispute"
	status, body = cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", other)
	require.Equal(t, http.StatusUnprocessableEntity, status, body)
	require.Contains(t, errorsOf(body), "body.matter")
}
