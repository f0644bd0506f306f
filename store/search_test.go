package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// contains is what the search means by a case containing q: the text of q, ignoring case,
// inside one of the subject, the resident's name and the statement of the matter (the facts, else
// the question, else the description), or, from three characters on, inside the case number.
func contains(c onedoor.Case, q string) bool {
	q = strings.ToLower(q)
	var statement string
	for _, name := range []string{"facts", "question", "description"} {
		if s, _ := c.Data[name].(string); s != "" {
			statement = s
			break
		}
	}
	for _, field := range []string{c.Subject, c.ResidentName, statement} {
		if strings.Contains(strings.ToLower(field), q) {
			return true
		}
	}
	return utf8.RuneCountInString(q) >= 3 && strings.Contains(strings.ToLower(c.Number), q)
}

// searchAll walks every page of the search for q, limit cases a page, and returns the numbers
// in the order the pages gave them.
func searchAll(t *testing.T, s *store.Store, q string, limit int) []string {
	t.Helper()
	f := store.CaseFilter{Scope: store.Scope{All: true}, Q: q, Limit: limit}
	var numbers []string
	for {
		p, err := s.SearchCases(context.Background(), f)
		require.NoError(t, err, "q=%q", q)
		for _, c := range p.Items {
			numbers = append(numbers, c.Number)
		}
		if p.Next == "" {
			return numbers
		}
		f.Cursor = p.Next
	}
}

// TestSearchFindsExactlyTheCasesContainingTheText: a query of one character or more, Chinese,
// ASCII or both, finds exactly the cases whose subject, name or statement (or number, from three
// characters) contain it, newest first, page after page; a match never spans two fields; and a
// case whose text changed is found by its new text, not its old.
func TestSearchFindsExactlyTheCasesContainingTheText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	base := time.Date(2026, time.March, 2, 9, 0, 0, 0, definitions.Shanghai)
	written := []struct{ subject, name, field, statement string }{
		{"草场边界纠纷", "张三", "facts", "邻居占用草场，多次协商未果。"},
		{"ABC公司拖欠工资", "Li Ming", "", ""},
		{"工资 赔偿50%费用", "王工", "", ""},
		// 草 ends the subject and 场 starts the name: 草场 is in no field.
		{"牧区草", "场明", "facts", "放牧"},
		{"驼羔走失三只", "乌力吉", "facts", "请求帮助寻找。"},
		{"abc合同纠纷 a_c", "李_四", "facts", "不是 Abc"},
		{"土地承包", "额尔敦", "", ""},
		// A consultation's question and a grid event's description are their statements.
		{"咨询", "巴特尔", "question", "宅基地能否继承？"},
		{"网格事件", "", "description", "河道垃圾堆积"},
	}
	var cases []onedoor.Case
	for i, w := range written {
		c := newCase("galutu")
		c.Subject, c.ResidentName = w.subject, w.name
		c.Data = map[string]any{"people": 1.0}
		if w.field != "" {
			c.Data[w.field] = w.statement
		}
		// Two cases share each instant: the cursor breaks the tie by id.
		c.ReceivedAt = base.Add(time.Duration(i/2) * time.Minute)
		c.UpdatedAt = c.ReceivedAt
		c, err := s.RegisterCase(ctx, c, nil, "GR-PET-2026", store.AuditEntry{Seq: 1, At: c.ReceivedAt, Actor: "test", Action: "register"})
		require.NoError(t, err)
		cases = append(cases, c)
	}

	// What the search must answer, from every case the database holds (the demo's too): the
	// containing ones, newest received first, then by id.
	all, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Limit: store.MaxLimit})
	require.NoError(t, err)
	require.Empty(t, all.Next, "more cases than a page: the expectation would miss some")
	check := func(q string, atLeast int) {
		t.Helper()
		var want []string
		for _, c := range all.Items {
			if contains(c, q) {
				want = append(want, c.Number)
			}
		}
		require.GreaterOrEqual(t, len(want), atLeast, "q=%q: the test means it to find cases", q)
		for _, limit := range []int{1, 2, 50} {
			got := searchAll(t, s, q, limit)
			require.Equal(t, want, got, "q=%q, %d a page", q, limit)
		}
	}
	for _, c := range []struct {
		q     string
		found int
	}{
		{"草场", 1}, {"草", 2}, {"场", 2}, {"工资", 2}, {"工", 2}, {"驼羔", 1}, {"羔", 1}, {"走失", 1},
		{"abc", 2}, {"ABC", 2}, {"c公", 1}, {"C公司", 1}, {"li", 1}, {"I", 1}, {"a_c", 1}, {"_", 1},
		{"50%", 1}, {"%", 1}, {"0%费", 1}, {"草场边界纠纷", 1}, {"乌力吉", 1}, {"GR-PET", len(cases)},
		{"0001", 1}, {"驼", 1}, {"骆驼", 0}, {"草场 纠纷", 0}, {"区草场", 0}, {"草场明", 0},
		// Only in the statements: the facts, a question, a description.
		{"邻居", 1}, {"寻找", 1}, {"不是", 1}, {"邻", 1}, {"多次协商未果", 1}, {"放牧", 1},
		{"宅基地", 1}, {"继承", 1}, {"垃圾", 1}, {"河", 1},
		// Across the end of the name or the subject and the start of the statement: no.
		{"明放", 0}, {"纠纷邻", 0},
	} {
		check(c.q, c.found)
	}
	// The straddling case is not found by the text across its subject and name.
	require.NotContains(t, searchAll(t, s, "草场", 50), cases[3].Number)
	require.Contains(t, searchAll(t, s, "场明", 50), cases[3].Number)

	// The mirror changes the subject and the name: the new text finds the case, the old no
	// longer does.
	c := cases[0]
	c.Subject, c.ResidentName, c.Data = "牧场租赁合同", "孙悟空", map[string]any{"facts": "租期五年"}
	c.UpdatedAt = base.Add(time.Hour)
	require.NoError(t, s.SaveCase(ctx, c, nil, nil, store.AuditEntry{Seq: 2, At: c.UpdatedAt, Actor: "test", Action: "edit"}))
	all, err = s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Limit: store.MaxLimit})
	require.NoError(t, err)
	for _, q := range []string{"边界", "张三", "邻居"} {
		require.NotContains(t, searchAll(t, s, q, 50), c.Number, "q=%q: the old text", q)
	}
	for _, q := range []string{"租赁", "孙", "悟空", "牧场", "租期", "五年"} {
		require.Contains(t, searchAll(t, s, q, 50), c.Number, "q=%q: the new text", q)
		check(q, 1)
	}
	check("草场", 0)
}

// TestSearchReadsTheGramIndexForARareWord: on a table of 20,000 cases, a word few of them have is
// answered from the grams indexes of the names and of the statements, not by reading the cases
// newest first; a word every statement has is read from the newest cases. (At 5,000 the table is
// small enough that the planner rightly reads it whole, in about a millisecond.)
func TestSearchReadsTheGramIndexForARareWord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := setup(t)
	org, err := definitions.DemoOrg()
	require.NoError(t, err)
	now := time.Date(2016, time.January, 1, 0, 0, 0, 0, definitions.Shanghai)
	// Written before the seed's cases, so that the newest first would read all of them.
	c := newCase("galutu")
	c.Subject, c.ReceivedAt = "驼羔走失", now.AddDate(-3, 0, 0)
	c.Data = map[string]any{"facts": "三只驼羔在查干淖尔湖边走失，请求帮助寻找。"}
	c, err = s.RegisterCase(ctx, c, nil, "RW-PET-2013", store.AuditEntry{Seq: 1, At: c.ReceivedAt, Actor: "test", Action: "register"})
	require.NoError(t, err)
	// The seed analyzes the tables after it wrote.
	require.NoError(t, s.SeedCases(ctx, store.SeedOptions{Cases: 20000, Seed: 11, Org: org, Now: now}))
	// The cases a search finds, and the plans of its statements.
	search := func(q string) ([]string, string) {
		var found []string
		plans, err := s.Plans(ctx, func(ctx context.Context) error {
			p, err := s.SearchCases(ctx, store.CaseFilter{Scope: store.Scope{All: true}, Q: q, Limit: 50})
			for _, c := range p.Items {
				found = append(found, c.Number)
			}
			return err
		})
		require.NoError(t, err)
		return found, plans
	}
	for _, q := range []string{"驼羔", "驼"} {
		found, plans := search(q)
		require.Contains(t, found, c.Number, "q=%q", q)
		require.Less(t, len(found), 50, "q=%q: a rare word", q)
		require.Contains(t, plans, "Bitmap Index Scan on cases_grams", "q=%q:\n%s", q, plans)
		require.Contains(t, plans, "Bitmap Index Scan on case_statements_grams", "q=%q:\n%s", q, plans)
		require.False(t, slices.ContainsFunc(strings.Split(plans, "\n"), func(l string) bool {
			return strings.Contains(l, "Seq Scan on case") || strings.Contains(l, "Index Scan using cases_newest")
		}), "q=%q:\n%s", q, plans)
	}
	// A word only its statement has, by the statements' index.
	found, plans := search("淖尔湖")
	require.Equal(t, []string{c.Number}, found)
	require.Contains(t, plans, "Bitmap Index Scan on case_statements_grams", plans)
	require.NotContains(t, plans, "Seq Scan on case_statements", plans)
	// A word every seeded statement has: a page of the newest, without reading every statement.
	found, plans = search("依法处理")
	require.Len(t, found, 50)
	require.NotContains(t, plans, "Seq Scan on case_statements", plans)
	require.NotContains(t, plans, "Bitmap Index Scan on case_statements_grams", plans)
}
