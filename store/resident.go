package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/onedoor/onedoor"
)

// GuessLimit is how many wrong guesses of a case's phone digits are allowed within Window, per
// case number (PerNumber) and per client (PerClient), before further attempts wait.
type GuessLimit struct {
	Window    time.Duration
	PerNumber int
	PerClient int
}

// StatusGuessWait is how long attempts at the status of the case number, or from the client,
// must wait before the next: zero while fewer than the limit's wrong guesses fell within its
// window, else until the oldest of the last limit's worth leaves it. client is the client
// address's hash; times are the database's, which every API node shares.
func (s *Store) StatusGuessWait(ctx context.Context, number string, client []byte, l GuessLimit) (time.Duration, error) {
	var wait float64
	err := s.pool.QueryRow(ctx, `
		select greatest(0,
			coalesce(extract(epoch from (select at from status_guesses where number = $1 and at > now() - $3::interval
				order by at desc offset $4 - 1 limit 1) + $3::interval - now()), 0),
			coalesce(extract(epoch from (select at from status_guesses where client = $2 and at > now() - $3::interval
				order by at desc offset $5 - 1 limit 1) + $3::interval - now()), 0))::float8`,
		number, client, l.Window, l.PerNumber, l.PerClient).Scan(&wait)
	return time.Duration(wait * float64(time.Second)), err
}

// CountStatusGuess records a wrong guess at the status of the case number from the client (the
// address's hash), and forgets every guess that left the window.
func (s *Store) CountStatusGuess(ctx context.Context, number string, client []byte, window time.Duration) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `insert into status_guesses (number, client) values ($1, $2)`, number, client); err != nil {
			return err
		}
		// The table holds the window's guesses only, however many numbers and addresses they came
		// from: what left it is forgotten at each new guess.
		_, err := tx.Exec(ctx, `delete from status_guesses where at <= now() - $1::interval`, window)
		return err
	})
}

// RatingLink is the one-time link a resident rates a closed case by.
type RatingLink struct {
	CaseID    string
	IssuedBy  string
	IssuedAt  time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// IssueRatingLink keeps the hash of a new rating link of the case, expiring at expires, in place
// of the one it had. A case whose link was used gets none: EConflict.
func (s *Store) IssueRatingLink(ctx context.Context, caseID string, hash []byte, by string, expires time.Time) error {
	return issueRatingLink(ctx, s.pool, caseID, hash, by, expires)
}

// NewRatingToken is a new rating link's token: 32 random bytes, URL-safe.
func NewRatingToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// RatingTokenHash is what the store keeps of a rating link's token: its SHA-256.
func RatingTokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// execer is what both the pool and a transaction offer to write.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func issueRatingLink(ctx context.Context, db execer, caseID string, hash []byte, by string, expires time.Time) error {
	tag, err := db.Exec(ctx, `
		insert into rating_links (case_id, token_hash, issued_by, expires_at) values ($1, $2, $3, $4)
		on conflict (case_id) do update set token_hash = excluded.token_hash, issued_by = excluded.issued_by,
			issued_at = now(), expires_at = excluded.expires_at
		where rating_links.used_at is null`, caseID, hash, by, expires)
	if err != nil {
		return interpret(err, "rating link of case "+caseID)
	}
	if tag.RowsAffected() == 0 {
		return onedoor.Errorf(onedoor.EConflict, "the resident has already rated the case through its link")
	}
	return nil
}

// RatingLinkByHash reads the rating link whose token has the hash.
func (s *Store) RatingLinkByHash(ctx context.Context, hash []byte) (RatingLink, error) {
	var l RatingLink
	err := s.pool.QueryRow(ctx, `
		select case_id::text, issued_by, issued_at, expires_at, used_at from rating_links where token_hash = $1`, hash).
		Scan(&l.CaseID, &l.IssuedBy, &l.IssuedAt, &l.ExpiresAt, &l.UsedAt)
	return l, interpret(err, "rating link")
}

// UseRatingLink spends the rating link whose token has the hash, if it is unused and unexpired,
// and returns it: of two uses at once, one gets it. Otherwise it is ENotFound (no such link), or
// the link as it is with ErrLinkUsed or ErrLinkExpired.
func (s *Store) UseRatingLink(ctx context.Context, hash []byte) (RatingLink, error) {
	var l RatingLink
	err := s.pool.QueryRow(ctx, `
		update rating_links set used_at = now() where token_hash = $1 and used_at is null and expires_at > now()
		returning case_id::text, issued_by, issued_at, expires_at, used_at`, hash).
		Scan(&l.CaseID, &l.IssuedBy, &l.IssuedAt, &l.ExpiresAt, &l.UsedAt)
	if !errors.Is(err, pgx.ErrNoRows) {
		return l, err
	}
	if l, err = s.RatingLinkByHash(ctx, hash); err != nil {
		return l, err
	}
	if l.UsedAt != nil {
		return l, ErrLinkUsed
	}
	return l, ErrLinkExpired
}

// ReleaseRatingLink makes a link spent by UseRatingLink usable again, when what it was spent on
// did not happen (the case service was unavailable).
func (s *Store) ReleaseRatingLink(ctx context.Context, hash []byte) error {
	_, err := s.pool.Exec(ctx, `update rating_links set used_at = null where token_hash = $1`, hash)
	return err
}

// Refusals of UseRatingLink.
var (
	ErrLinkUsed    = onedoor.Errorf(onedoor.EConflict, "this rating link was already used: a case is rated once")
	ErrLinkExpired = onedoor.Errorf(onedoor.EConflict, "this rating link has expired: the 30 days for rating the case after it closed have passed")
)

// ClosedAt is when the case closed, from its audit log: the first event that left it closed.
// ENotFound while it is open.
func (s *Store) ClosedAt(ctx context.Context, caseID string) (time.Time, error) {
	var at *time.Time
	err := s.pool.QueryRow(ctx, `
		select min(at) from audit_log where case_id = $1 and after ->> 'status' = 'closed'`, caseID).Scan(&at)
	if err != nil {
		return time.Time{}, err
	}
	if at == nil {
		return time.Time{}, onedoor.Errorf(onedoor.ENotFound, "case %s is not closed", caseID)
	}
	return *at, nil
}
