package definitions

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"
)

// Current is the version new cases start on at time at: among published versions whose
// ValidFrom day has begun (Asia/Shanghai), the one valid from the latest day, and of those the
// highest version. Drafts and retired versions are never current. Running cases are not
// affected: they keep the version they started on.
func Current(versions []*Procedure, at time.Time) (*Procedure, bool) {
	var best *Procedure
	for _, v := range versions {
		if v == nil || v.Status != StatusPublished || v.ValidFrom.Start().After(at) {
			continue
		}
		if best == nil || v.ValidFrom.After(best.ValidFrom) ||
			(v.ValidFrom == best.ValidFrom && v.Version > best.Version) {
			best = v
		}
	}
	return best, best != nil
}

// Latest is the highest version number among versions, 0 when there are none.
func Latest(versions []*Procedure) int {
	n := 0
	for _, v := range versions {
		if v != nil && v.Version > n {
			n = v.Version
		}
	}
	return n
}

// Edit is the draft an administrator edits when they open base. A draft is edited as it is;
// a published or retired version is frozen, so editing it starts a new draft copied from it,
// numbered one above every existing version of the procedure.
func Edit(base *Procedure, versions []*Procedure) *Procedure {
	d := base.Clone()
	if base.Status == StatusDraft {
		return d
	}
	d.Version = max(Latest(versions), base.Version) + 1
	d.Status = StatusDraft
	d.ValidFrom = Date{}
	return d
}

// CheckUpdate refuses to save next over stored: the key and version must not change, a
// published version may only be retired, and a retired one not changed at all. Drafts may be
// changed freely (they are validated when published).
func CheckUpdate(stored, next *Procedure) error {
	var ps problems
	if next.Key != stored.Key {
		ps.add("key", "the key cannot change (it was %q); create a new procedure instead", stored.Key)
	}
	if next.Version != stored.Version {
		ps.add("version", "the version number cannot change (it was %d)", stored.Version)
	}
	switch stored.Status {
	case StatusPublished, StatusRetired:
		frozen := next.Clone()
		frozen.Status = stored.Status
		if changes := Diff(stored, frozen); len(changes) > 0 {
			ps.add(changes[0].Path, "version %d is %s and cannot be edited; edit a new draft (version %d) instead",
				stored.Version, stored.Status, stored.Version+1)
		}
		if !CanTransition(stored.Status, next.Status) && next.Status != stored.Status {
			ps.add("status", "a %s version cannot become %s", stored.Status, next.Status)
		}
	case StatusDraft:
		if next.Status != StatusDraft {
			ps.add("status", "publish a draft with Publish, which validates it first")
		}
	}
	return ps.err()
}

// CanTransition reports whether a version may go from one status to another: draft to
// published, published to retired. Nothing goes back: a running case may depend on it.
func CanTransition(from, to Status) bool {
	return (from == StatusDraft && to == StatusPublished) || (from == StatusPublished && to == StatusRetired)
}

// Publish is the published copy of draft: it must validate against org, and it becomes valid
// from its ValidFrom, or from today when that is empty. Publishing is how a definition reaches
// running cases, so nothing that does not validate gets through.
func Publish(draft *Procedure, org *Org, today Date) (*Procedure, error) {
	if draft.Status != StatusDraft {
		return nil, &ValidationError{Problems: []Problem{{Path: "status", Message: fmt.Sprintf("only a draft can be published; version %d is %s", draft.Version, draft.Status)}}}
	}
	p := draft.Clone()
	p.Status = StatusPublished
	if p.ValidFrom.IsZero() {
		p.ValidFrom = today
	}
	if err := p.Validate(org); err != nil {
		return nil, err
	}
	if _, err := p.Compile(); err != nil {
		return nil, err
	}
	return p, nil
}

// Retire is the retired copy of a published version: new cases stop using it, running ones
// finish on it.
func Retire(p *Procedure) (*Procedure, error) {
	if p.Status != StatusPublished {
		return nil, &ValidationError{Problems: []Problem{{Path: "status", Message: fmt.Sprintf("only a published version can be retired; version %d is %s", p.Version, p.Status)}}}
	}
	r := p.Clone()
	r.Status = StatusRetired
	return r, nil
}

// ChangeKind is what happened to a value between two versions.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// Change is one difference between two versions. Path names list items by id when they have
// one (steps[id=handle].deadline.amount, form[name=phone].required) so a moved step is not
// reported as every step changing.
type Change struct {
	Path string     `json:"path"`
	Kind ChangeKind `json:"kind"`
	Old  any        `json:"old,omitempty"`
	New  any        `json:"new,omitempty"`
}

// Diff lists the differences from a to b, in a stable order, for review before publishing.
func Diff(a, b *Procedure) []Change {
	var out []Change
	diffValue("", toGeneric(a), toGeneric(b), &out)
	return out
}

func toGeneric(p *Procedure) any {
	b, err := json.Marshal(p)
	if err != nil {
		panic("definitions: diff: " + err.Error())
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		panic("definitions: diff: " + err.Error())
	}
	return v
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func diffValue(path string, a, b any, out *[]Change) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		*out = append(*out, Change{Path: path, Kind: Added, New: b})
		return
	case b == nil:
		*out = append(*out, Change{Path: path, Kind: Removed, Old: a})
		return
	}
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := sortedKeys(av)
		for _, k := range sortedKeys(bv) {
			if _, ok := av[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			diffValue(joinPath(path, k), av[k], bv[k], out)
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok {
			break
		}
		if field := listKey(av, bv); field != "" {
			diffKeyed(path, field, av, bv, out)
			return
		}
		for i := range max(len(av), len(bv)) {
			var x, y any
			if i < len(av) {
				x = av[i]
			}
			if i < len(bv) {
				y = bv[i]
			}
			diffValue(fmt.Sprintf("%s[%d]", path, i), x, y, out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, Change{Path: path, Kind: Changed, Old: a, New: b})
	}
}

// listKey is the field that identifies the items of both lists ("id" or "name"), if every
// item has a distinct one.
func listKey(a, b []any) string {
	for _, field := range []string{"id", "name"} {
		ok := true
		seen := [2]map[string]bool{{}, {}}
		for i, list := range [][]any{a, b} {
			for _, x := range list {
				m, isMap := x.(map[string]any)
				s, isStr := m[field].(string)
				if !isMap || !isStr || s == "" || seen[i][s] {
					ok = false
					break
				}
				seen[i][s] = true
			}
		}
		if ok && len(a)+len(b) > 0 {
			return field
		}
	}
	return ""
}

func diffKeyed(path, field string, a, b []any, out *[]Change) {
	index := func(list []any) (map[string]any, []string) {
		m := map[string]any{}
		var order []string
		for _, x := range list {
			k := x.(map[string]any)[field].(string)
			m[k] = x
			order = append(order, k)
		}
		return m, order
	}
	am, aOrder := index(a)
	bm, bOrder := index(b)
	keys := aOrder
	for _, k := range bOrder {
		if _, ok := am[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		diffValue(fmt.Sprintf("%s[%s=%s]", path, field, k), am[k], bm[k], out)
	}
	if slices.Equal(aOrder, bOrder) {
		return
	}
	common := func(order []string, other map[string]any) []string {
		var out []string
		for _, k := range order {
			if _, ok := other[k]; ok {
				out = append(out, k)
			}
		}
		return out
	}
	if ao, bo := common(aOrder, bm), common(bOrder, am); !slices.Equal(ao, bo) {
		*out = append(*out, Change{Path: path, Kind: Changed, Old: ao, New: bo})
	}
}
