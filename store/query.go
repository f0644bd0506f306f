package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Scope is the part of the cases a user may see: every case; the cases held or received by the
// units of an org-unit subtree; or the cases that have or had a task for a department, and, when
// Units is set too, are held or received by those units (a department's staff in one county of
// many). The zero Scope sees nothing.
type Scope struct {
	All        bool
	Units      []string
	Department string
}

// Page is one page of a keyset-paginated list. Next is the opaque cursor of the following page,
// empty on the last one.
type Page[T any] struct {
	Items []T
	Next  string
}

// MaxLimit is the largest page a list returns.
const MaxLimit = 500

// Subtree is the code of the org unit and of every unit below it, the unit first.
func (s *Store) Subtree(ctx context.Context, code string) ([]string, error) {
	rows, err := s.keyed.Query(ctx, `
		with recursive down(code, depth) as (
			select code, 0 from org_units where code = $1
			union all
			select o.code, down.depth + 1 from org_units o join down on o.parent = down.code
		)
		select code from down order by depth, code`, code)
	if err != nil {
		return nil, err
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err == nil && len(codes) == 0 {
		return nil, onedoor.Errorf(onedoor.ENotFound, "org unit %s not found", code)
	}
	return codes, err
}

// IsRoot reports whether the org unit has no parent: its subtree is the whole organisation.
func (s *Store) IsRoot(ctx context.Context, code string) (bool, error) {
	var root bool
	err := s.keyed.QueryRow(ctx, `select parent is null from org_units where code = $1`, code).Scan(&root)
	return root, interpret(err, "org unit "+code)
}

// Holds reports whether the subtree of the org unit holds any of the units (a case's holder and
// the unit that received it): one statement that walks up from the units, where Subtree and
// InScope walk down the whole subtree and then look for the case. A root unit holds everything,
// as Scope{All} does.
func (s *Store) Holds(ctx context.Context, code string, units ...string) (bool, error) {
	var ok bool
	err := s.keyed.QueryRow(ctx, `
		with recursive up(code, parent) as (
			select code, parent from org_units where code = any($2)
			union
			select o.code, o.parent from org_units o join up on o.code = up.parent
		)
		select exists (select 1 from up where code = $1)
			or exists (select 1 from org_units where code = $1 and parent is null)`, code, units).Scan(&ok)
	return ok, err
}

// query builds a SQL condition and its arguments; arg returns the placeholder of a new argument.
type query struct {
	conds []string
	args  []any
}

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("$%d", len(q.args))
}

func (q *query) where(cond string) { q.conds = append(q.conds, cond) }

func (q *query) sql() string {
	if len(q.conds) == 0 {
		return "true"
	}
	return strings.Join(q.conds, " and ")
}

// scopeCases adds the condition that a case (alias c) is in the scope.
func (q *query) scopeCases(sc Scope) {
	switch {
	case sc.All:
	case sc.Department != "":
		q.where("exists (select 1 from tasks dt where dt.case_id = c.id and dt.department = " + q.arg(sc.Department) + ")")
		if len(sc.Units) > 0 {
			u := q.arg(sc.Units)
			q.where(fmt.Sprintf("(c.org_unit = any(%s) or c.received_by = any(%s))", u, u))
		}
	case len(sc.Units) > 0:
		u := q.arg(sc.Units)
		q.where(fmt.Sprintf("(c.org_unit = any(%s) or c.received_by = any(%s))", u, u))
	default:
		q.where("false")
	}
}

// fence is the condition that the case with the id held by the column caseID is held or was
// received by one of units: what keeps a department's staff, whose tasks belong to no org unit,
// inside their county.
func (q *query) fence(caseID string, units []string) string {
	u := q.arg(units)
	return fmt.Sprintf("exists (select 1 from cases fc where fc.id = %s and (fc.org_unit = any(%s) or fc.received_by = any(%s)))", caseID, u, u)
}

// InScope reports whether the case with the id is in the scope.
func (s *Store) InScope(ctx context.Context, sc Scope, caseID string) (bool, error) {
	var q query
	q.where("c.id = " + q.arg(caseID))
	q.scopeCases(sc)
	var ok bool
	err := s.pool.QueryRow(ctx, `select exists (select 1 from cases c where `+q.sql()+`)`, q.args...).Scan(&ok)
	return ok, err
}

// encodeCursor and decodeCursor turn a keyset position into an opaque, URL-safe string and back.
func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// cursor is a decoded keyset position; ok reports whether it could be one this API returned, so
// that a cursor made up or damaged by hand is the client's 422, not a query PostgreSQL refuses.
type cursor interface{ ok() bool }

func decodeCursor(s string, v cursor) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil || !v.ok() {
		return &onedoor.Error{Code: onedoor.EInvalid, Message: "the cursor is not one this API returned",
			Fields: []onedoor.FieldError{{Path: "query.cursor", Message: "pass the next cursor of the previous page unchanged"}}}
	}
	return nil
}

// isUUID reports whether s is a UUID written as PostgreSQL writes one (uuid::text), the only
// form a cursor holds.
func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// isText reports whether s can be a text argument: PostgreSQL stores no U+0000.
func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// limit is the page size: n within 1..MaxLimit, 50 when unset.
func limit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// CaseFilter selects cases for the search. OrgUnits (a subtree) filters on the holder unit; the
// scope is applied on top. Q finds text anywhere in the subject, the resident's name or the
// statement of the matter (the facts, a consultation's question, a grid event's description),
// ignoring case, from one character on (indexes of the single characters and two-character
// grams of each, 036_case_grams.sql and 038_case_statements.sql); from three characters on it
// finds it in the case number too (a trigram index). A match is inside one field.
type CaseFilter struct {
	Scope        Scope
	Matter       string
	Status       string
	Level        string
	OrgUnits     []string
	ReceivedFrom *time.Time
	ReceivedTo   *time.Time
	Overdue      *bool
	Q            string
	// CreatedBy keeps the cases a user registered (我发起的).
	CreatedBy string
	Cursor    string
	Limit     int
}

// caseCursor is the position after a case in the search order: newest received first, then id.
type caseCursor struct {
	At time.Time `json:"t"`
	ID string    `json:"i"`
}

func (c *caseCursor) ok() bool { return !c.At.IsZero() && isUUID(c.ID) }

const caseColumns = `c.id::text, c.number, c.matter, c.status, c.step, c.level, c.org_unit, c.received_by, c.channel,
	c.subject, c.resident_name, c.data, c.procedure_key, c.procedure_version, c.created_by, c.received_at, c.updated_at,
	c.outcome, c.overdue, c.due_at, c.escalations`

func scanCase(r pgx.CollectableRow) (onedoor.Case, error) { return scanCaseWith(r) }

// scanCaseWith scans the caseColumns of a row, then its further columns into more.
func scanCaseWith(r pgx.CollectableRow, more ...any) (onedoor.Case, error) {
	var c onedoor.Case
	var data []byte
	err := r.Scan(append([]any{&c.ID, &c.Number, &c.Matter, &c.Status, &c.Step, &c.Level, &c.OrgUnit, &c.ReceivedBy, &c.Channel,
		&c.Subject, &c.ResidentName, &data, &c.ProcedureKey, &c.ProcedureVersion, &c.CreatedBy,
		&c.ReceivedAt, &c.UpdatedAt, &c.Outcome, &c.Overdue, &c.DueAt, &c.Escalations}, more...)...)
	if err != nil {
		return c, err
	}
	c.ReceivedAt, c.UpdatedAt = c.ReceivedAt.In(definitions.Shanghai), c.UpdatedAt.In(definitions.Shanghai)
	if c.DueAt != nil {
		d := c.DueAt.In(definitions.Shanghai)
		c.DueAt = &d
	}
	if err := json.Unmarshal(data, &c.Data); err != nil {
		return c, fmt.Errorf("store: case %s data: %w", c.ID, err)
	}
	return c, nil
}

// caseQuery is the condition of a case filter, without its text (textQuery) and its cursor.
func caseQuery(f CaseFilter) *query {
	q := &query{}
	q.scopeCases(f.Scope)
	if f.Matter != "" {
		q.where("c.matter = " + q.arg(f.Matter))
	}
	if f.Status != "" {
		q.where("c.status = " + q.arg(f.Status))
	}
	if f.Level != "" {
		q.where("c.level = " + q.arg(f.Level))
	}
	if len(f.OrgUnits) > 0 {
		q.where("c.org_unit = any(" + q.arg(f.OrgUnits) + ")")
	}
	if f.ReceivedFrom != nil {
		q.where("c.received_at >= " + q.arg(*f.ReceivedFrom))
	}
	if f.ReceivedTo != nil {
		q.where("c.received_at < " + q.arg(*f.ReceivedTo))
	}
	if f.Overdue != nil {
		q.where("c.overdue = " + q.arg(*f.Overdue))
	}
	if f.CreatedBy != "" {
		q.where("c.created_by = " + q.arg(f.CreatedBy))
	}
	return q
}

// textMatch is how the search finds f.Q: the condition that a case's subject or name contains it
// (names), that its number does (number; none for a query of fewer than three characters), and
// that its statement does: either a condition on the cases (statement) or the statements that
// contain it, read through their index (with). Names and number are two reads, each through its
// own index: one condition of both (an or) made the planner check every case the names' gram
// found against the whole condition, computing its grams again (93 ms, where 30 ms read the 8,900
// cases of a common name at 6.6 million).
type textMatch struct{ names, number, with, statement string }

// textQuery adds to q's arguments the text of f.Q and returns the ways a case contains it, for a
// read of at most limit cases (0: all of them). Each way asks a gram index for the cases with the
// query's rarest gram (Store.rarestGram) and checks those for the text itself; the check comes
// first, so that a plan reading the newest cases computes a case's grams only for the cases that
// contain the text. A query without letters that have a case (Chinese, digits) is found as it is:
// lower-casing every field it reads made a common word's page four times slower.
//
// The statements are read one of two ways, chosen here from the index's statistics, since the
// planner took a word no statement has for a common one and read every case newest first
// looking for it (seconds at 1M). Through the index, the statements with the gram are all read
// (share × rows of them); newest first, about limit ÷ share cases are read before a page is full.
// The fewer wins.
func (s *Store) textQuery(ctx context.Context, q *query, text string, limit int) (textMatch, error) {
	namesAt, _, _, err := s.rarestGram(ctx, text, casesGrams)
	if err != nil {
		return textMatch{}, err
	}
	statementAt, share, rows, err := s.rarestGram(ctx, text, statementsGrams)
	if err != nil {
		return textMatch{}, err
	}
	t := q.arg(text)
	field := func(f string) string { return "strpos(lower(" + f + "), lower(" + t + ")) > 0" }
	if caseless(text) {
		field = func(f string) string { return "strpos(" + f + ", " + t + ") > 0" }
	}
	gram := func(at int) string { return fmt.Sprintf("array[substr(lower(%s), %s::int, 2)]", t, q.arg(at)) }
	var m textMatch
	m.names = fmt.Sprintf("((%s or %s) and case_grams(c.subject, c.resident_name) @> %s)",
		field("c.subject"), field("c.resident_name"), gram(namesAt))
	if utf8.RuneCountInString(text) >= 3 {
		// The case number, by the trigram index of numbers.
		escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
		m.number = "c.number ilike " + q.arg("%"+escaped+"%")
	}
	if limit > 0 && share*rows > float64(limit)/share {
		m.statement = "exists (select 1 from case_statements s where s.case_id = c.id and " + field("s.body") + ")"
	} else {
		m.with = fmt.Sprintf("select s.case_id from case_statements s where %s and text_grams(s.body) @> %s",
			field("s.body"), gram(statementAt))
	}
	return m, nil
}

// casesSQL is the statement that reads the cases of q, after the condition after (a cursor's,
// or none), newest first, at most limit of them (none when 0; the argument of the limit is
// added to q). A text, when f has one, is looked for by two reads, one per index (textQuery),
// each of them newest first and as limited, whose cases are then read: one condition that either
// index could serve would be served by neither.
func (s *Store) casesSQL(ctx context.Context, f CaseFilter, q *query, after string, limit int) (string, error) {
	const order = ` order by c.received_at desc, c.id desc`
	limitSQL := ""
	if limit > 0 {
		limitSQL = " limit " + q.arg(limit)
	}
	text := strings.TrimSpace(f.Q)
	if text == "" {
		return `select ` + caseColumns + ` from cases c where ` + q.sql() + after + order + limitSQL, nil
	}
	m, err := s.textQuery(ctx, q, text, limit)
	if err != nil {
		return "", err
	}
	ids := func(from, cond string) string {
		return `(select c.id from ` + from + ` where ` + q.sql() + cond + after + order + limitSQL + `)`
	}
	with, statements := "", ids("cases c", " and "+m.statement)
	if m.with != "" {
		// Materialized, and the cases joined to it: the statements are read through their index
		// once, and the planner cannot turn them into a filter on the newest cases.
		with = `with statement_hits as materialized (` + m.with + `) `
		statements = ids("statement_hits h join cases c on c.id = h.case_id", "")
	}
	found := ids("cases c", " and "+m.names)
	if m.number != "" {
		found += ` union all ` + ids("cases c", " and "+m.number)
	}
	return with + `select ` + caseColumns + ` from cases c where c.id in (` + found + ` union all ` + statements + `)` +
		order + limitSQL, nil
}

// caseless reports whether no character of s has another of its case (unicode.SimpleFold): then
// a text holds s exactly when its lower-cased text does.
func caseless(s string) bool {
	for _, r := range s {
		if unicode.SimpleFold(r) != r {
			return false
		}
	}
	return true
}

// SearchCases is one page of the cases that match the filter, newest received first.
func (s *Store) SearchCases(ctx context.Context, f CaseFilter) (Page[onedoor.Case], error) {
	var page Page[onedoor.Case]
	q := caseQuery(f)
	after := ""
	if f.Cursor != "" {
		var cur caseCursor
		if err := decodeCursor(f.Cursor, &cur); err != nil {
			return page, err
		}
		after = fmt.Sprintf(" and (c.received_at, c.id) < (%s, %s::uuid)", q.arg(cur.At), q.arg(cur.ID))
	}
	n := limit(f.Limit)
	sql, err := s.casesSQL(ctx, f, q, after, n+1)
	if err != nil {
		return page, err
	}
	rows, err := s.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return page, err
	}
	items, err := pgx.CollectRows(rows, scanCase)
	if err != nil {
		return page, err
	}
	if len(items) > n {
		items = items[:n]
		last := items[n-1]
		page.Next = encodeCursor(caseCursor{At: last.ReceivedAt, ID: last.ID})
	}
	page.Items = items
	return page, nil
}

// EachCase calls fn with every case that matches the filter (its cursor and limit ignored),
// newest first, reading them as it goes: an export of any size holds one case in memory.
func (s *Store) EachCase(ctx context.Context, f CaseFilter, fn func(onedoor.Case) error) error {
	q := caseQuery(f)
	sql, err := s.casesSQL(ctx, f, q, "", 0)
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, sql, q.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
