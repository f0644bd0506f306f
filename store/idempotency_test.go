package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
)

// TestIdempotencyKeyUsedAtOnce sends the same request with the same key many times at once, as a
// client does that retries while its first request is still running: each is a retry, none is
// refused; the same key for another request is.
func TestIdempotencyKeyUsedAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	for round := range 20 {
		key := fmt.Sprintf("key-%d", round)
		var wg sync.WaitGroup
		errs := make([]error, 16)
		for i := range errs {
			wg.Go(func() { errs[i] = s.RememberIdempotencyKey(ctx, "clerk-galutu", "attach", key, []byte("same request")) })
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "round %d, request %d", round, i)
		}
		err := s.RememberIdempotencyKey(ctx, "clerk-galutu", "attach", key, []byte("another request"))
		require.Equal(t, onedoor.EInvalid, onedoor.ErrorCode(err), err)
	}
}
