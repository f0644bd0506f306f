package store

import (
	"bytes"
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
)

// RememberIdempotencyKey records what a user's Idempotency-Key is used for in a scope (a case
// registration, or actions on one case), the first time it is used. The same key used again for
// the same request is fine — it is a retry; for a different request it is an EInvalid error at
// the Idempotency-Key header.
func (s *Store) RememberIdempotencyKey(ctx context.Context, user, scope, key string, fingerprint []byte) error {
	var first []byte
	var err error
	// A retry that overlaps the first request (a client that gave up waiting) may find the key
	// inserted by a transaction that commits while this statement runs: the insert then does
	// nothing and the select, seeing the statement's snapshot, finds nothing either. The next
	// statement sees the committed key.
	for try := 0; try < 3; try++ {
		err = s.pool.QueryRow(ctx, `
			with added as (
				insert into idempotency_keys (user_id, scope, key, fingerprint) values ($1, $2, $3, $4)
				on conflict do nothing returning fingerprint)
			select fingerprint from added
			union all
			select fingerprint from idempotency_keys where user_id = $1 and scope = $2 and key = $3
			limit 1`, user, scope, key, fingerprint).Scan(&first)
		if !errors.Is(err, pgx.ErrNoRows) {
			break
		}
	}
	if err != nil {
		return interpret(err, "idempotency key")
	}
	if !bytes.Equal(first, fingerprint) {
		return &onedoor.Error{Code: onedoor.EInvalid, Message: "the Idempotency-Key was already used for a different request",
			Fields: []onedoor.FieldError{{Path: "header.Idempotency-Key", Value: key,
				Message: "this key was first used for another request: send a new key with a new request, the same request with the same key"}}}
	}
	return nil
}

// BatchAnswer is the answer a user's batch with the Idempotency-Key got, if it was answered.
func (s *Store) BatchAnswer(ctx context.Context, user, key string) ([]byte, bool, error) {
	var answer []byte
	err := s.pool.QueryRow(ctx, `select answer from batch_answers where user_id = $1 and key = $2`, user, key).Scan(&answer)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	return answer, err == nil, interpret(err, "batch answer")
}

// SaveBatchAnswer keeps the answer of a user's batch with the Idempotency-Key; the first answer
// kept stays.
func (s *Store) SaveBatchAnswer(ctx context.Context, user, key string, answer []byte) error {
	_, err := s.pool.Exec(ctx, `insert into batch_answers (user_id, key, answer) values ($1, $2, $3) on conflict do nothing`, user, key, answer)
	return interpret(err, "batch answer")
}
