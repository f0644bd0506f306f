package definitions

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzDue counts periods of any amount and unit from any instant, with a suspension: Due never
// panics, and from a day in the years the API accepts (1900 to 2999) with an amount a deadline may
// have, its answer is no earlier than the start and can be written as JSON.
func FuzzDue(f *testing.F) {
	for _, s := range []struct {
		from          string
		amount        int
		unit          byte
		susFrom, days int64
	}{
		{"2026-02-13T15:04:00+08:00", 15, 3, 0, 0},
		{"9999-12-31T00:00:00+08:00", 100000, 3, 0, 0},
		{"9999-12-31T23:59:59Z", MaxPeriodAmount, 1, 0, 0},
		{"0000-01-01T00:00:00Z", MaxPeriodAmount, 2, -10, 30},
		{"2999-12-31T00:00:00+08:00", MaxPeriodAmount, 3, 2, 400},
		{"1900-01-01T00:00:00+08:00", 1, 2, 0, 1},
		{"2026-01-01T00:00:00+08:00", -5, 0, 0, 0},
	} {
		f.Add(s.from, s.amount, s.unit, s.susFrom, s.days)
	}
	c := NewCalendar()
	f.Fuzz(func(t *testing.T, fromText string, amount int, unit byte, susFrom, days int64) {
		from, err := time.Parse(time.RFC3339, fromText)
		if err != nil {
			return
		}
		// A suspension of up to ten years about the start: longer ones only make the fuzzer slow.
		sus := Suspension{From: from.Add(time.Duration(susFrom%3660) * 24 * time.Hour)}
		sus.To = sus.From.Add(time.Duration(days%3660) * 24 * time.Hour)
		p := Period{Amount: amount, Unit: Units[int(unit)%len(Units)]}
		due := c.Due(from, p, sus)
		if y := DateOf(from).Year; y < 1900 || y > 2999 || amount < 1 || amount > MaxPeriodAmount {
			return
		}
		require.False(t, due.At.Before(from), "due %s before the start %s", due.At, from)
		_, err = json.Marshal(due)
		require.NoError(t, err)
	})
}
