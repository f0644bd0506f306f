package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
)

// pollerFresh is how recently a worker must have polled the task queue to count as running. An
// idle worker's long poll lasts about a minute, so a live one has always polled within two; the
// server keeps dead pollers listed for five.
const pollerFresh = 2 * time.Minute

// CheckTemporal is nil when the Temporal frontend answers.
func (s *Cases) CheckTemporal(ctx context.Context) error {
	_, err := s.Temporal.CheckHealth(ctx, nil)
	return err
}

// CheckWorkers is nil when some worker has lately polled the case task queue for workflow tasks
// and for activity tasks, and otherwise says which is missing.
func (s *Cases) CheckWorkers(ctx context.Context) error {
	for _, kind := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
		resp, err := s.Temporal.DescribeTaskQueue(ctx, s.Queue(), kind)
		if err != nil {
			return fmt.Errorf("describe task queue: %w", err)
		}
		fresh := false
		for _, p := range resp.GetPollers() {
			if t := p.GetLastAccessTime(); t != nil && time.Since(t.AsTime()) < pollerFresh {
				fresh = true
				break
			}
		}
		if !fresh {
			return fmt.Errorf("no %s poller in the last %s", strings.ToLower(kind.String()), pollerFresh)
		}
	}
	return nil
}
