package service

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/workflows"
)

// A migration query's refusal keeps the workflow's reason as it wrote it, with the failure's
// kind as its code, whether the server sends the failure (its message encoded by the payload
// codec) or only its text.
func TestQueryRefusalKeepsTheReason(t *testing.T) {
	const reason = "step handle has no step in version 2 and the plan maps it nowhere"
	cases := []struct {
		err  error
		code string
	}{
		{serviceerror.NewQueryFailedWithFailure(reason+" (type: conflict, retryable: false)", &failurepb.Failure{Message: "Encoded failure",
			FailureInfo: &failurepb.Failure_ApplicationFailureInfo{ApplicationFailureInfo: &failurepb.ApplicationFailureInfo{Type: workflows.ErrConflict}}}), onedoor.EConflict},
		{serviceerror.NewQueryFailedWithFailure(reason+" (type: invalid, retryable: false)", &failurepb.Failure{Message: "Encoded failure",
			FailureInfo: &failurepb.Failure_ApplicationFailureInfo{ApplicationFailureInfo: &failurepb.ApplicationFailureInfo{Type: workflows.ErrInvalid}}}), onedoor.EInvalid},
		{serviceerror.NewQueryFailed(reason + " (type: conflict, retryable: false)"), onedoor.EConflict},
		{serviceerror.NewQueryFailed(reason), onedoor.EConflict},
	}
	for _, c := range cases {
		var e *onedoor.Error
		require.True(t, errors.As(queryRefusal(c.err), &e))
		require.Equal(t, reason, e.Message)
		require.Equal(t, c.code, e.Code)
	}
	plain := errors.New("connection refused")
	require.Equal(t, plain, queryRefusal(plain))
}
