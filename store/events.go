package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor/definitions"
)

// notificationsChannel is the PostgreSQL channel every insert of notifications is announced on.
const notificationsChannel = "onedoor_notifications"

// ListenNotifications calls wake whenever notifications are written, by any process, until ctx
// ends. It holds one connection of the pool for the LISTEN; when the connection or the database
// is lost it tells onError, listens again, backing off up to 5 s, and calls wake once it is back,
// since notifications may have been written meanwhile.
func (s *Store) ListenNotifications(ctx context.Context, wake func(), onError func(error)) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listen(ctx, wake, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		onError(err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (s *Store) listen(ctx context.Context, wake, listening func()) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "listen "+notificationsChannel); err != nil {
		return err
	}
	defer func() {
		// The connection goes back to the pool: it must not stay subscribed.
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _ = conn.Exec(c, "unlisten "+notificationsChannel)
	}()
	listening()
	wake()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		wake()
	}
}

// NotificationsAfter are the addressee's notifications with an id above after, oldest first, at
// most n.
func (s *Store) NotificationsAfter(ctx context.Context, to Addressee, after int64, n int) ([]NotificationItem, error) {
	q := &query{}
	to.where(q)
	q.where("x.id > " + q.arg(after))
	rows, err := s.pool.Query(ctx, `
		select x.id, coalesce(x.org_unit, ''), coalesce(x.department, ''), x.role, coalesce(x.user_id, ''), x.kind, x.case_id::text, x.task_id,
			x.message, x.at, c.number, x.sender
		from notifications x join cases c on c.id = x.case_id
		where `+q.sql()+` order by x.id limit `+q.arg(limit(n)), q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (NotificationItem, error) {
		var x NotificationItem
		err := r.Scan(&x.ID, &x.OrgUnit, &x.Department, &x.Role, &x.User, &x.Kind, &x.CaseID, &x.TaskID, &x.Message, &x.At, &x.Number, &x.Sender)
		x.At = x.At.In(definitions.Shanghai)
		return x, err
	})
}

// LastNotificationID is the id of the newest notification of all: a new stream starts after it.
func (s *Store) LastNotificationID(ctx context.Context) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `select coalesce(max(id), 0) from notifications`).Scan(&id)
	return id, err
}
