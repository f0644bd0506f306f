package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// SeedCreator is the created_by of synthetic cases: they have no workflow behind them.
const SeedCreator = "seed"

// SeedOptions says what SeedCases writes.
type SeedOptions struct {
	// Cases is how many cases to write.
	Cases int
	// Seed makes the data deterministic: the same seed, count and Now give the same cases. Each
	// seed is one run, which a later call with a larger count continues.
	Seed int64
	// Now is the end of the two years the cases are received over; the store's clock when zero.
	// A seed's first run records it, and the runs that continue it use that one.
	Now time.Time
	// Org is the organisation whose units receive and hold the cases.
	Org *definitions.Org
	// Progress, when set, is called after each batch with the number of cases written so far.
	Progress func(done int)
	// Stage, when set, is called with what the run does after its batches (sum the statistics'
	// rollups, analyze the tables: a minute or more at 10M cases) as it starts it, and done when
	// it is done.
	Stage func(what string) (done func())
	// Batch is how many cases go into one COPY of each table, in one transaction; seedBatch
	// when zero.
	Batch int
}

// seedBatch is how many cases go into one COPY of each table, in one transaction.
const seedBatch = 5000

// SeedCases writes synthetic cases straight into the read model with COPY: all five matters,
// every level, open and closed ones with their outcomes, received over the two years before
// Now, with Chinese names and addresses from the organisation, tasks (open ones for open cases,
// a department's finished task for some closed ones) and a few audit lines each. They are marked
// created_by = 'seed' and numbered WS-PET-2025-S1-0000001 for seed 1 (the S keeps them apart
// from real numbers). The organisation must be in the database (SeedOrg).
//
// It resumes: each batch commits whole with the count of the seed's cases written so far
// (seed_runs), and a call for a seed that has cases already writes the ones after them, as the
// run that was cut short would have (case i is drawn from the seed and i alone), until the seed
// has o.Cases. A seed that has that many already writes nothing.
func (s *Store) SeedCases(ctx context.Context, o SeedOptions) error {
	if o.Now.IsZero() {
		o.Now = s.Clock()
	}
	written, now, err := s.startSeedRun(ctx, o.Seed, o.Now)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	o.Now = now
	// The statistics read the kinds of the tasks' outcomes from the procedure versions.
	if _, err := s.LoadLibrary(ctx, o.Org); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	g, err := newSeeder(o)
	if err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	// As a superuser (onedoor dev, testenv) the rows go in with the read model's triggers off and
	// each batch's facts are computed once after, instead of once per table (three times) with
	// every row's foreign keys checked: the rows are made consistent here. The statistics'
	// rollups and the boards' counts are summed once, at the end of the run (case_stats_rebuild,
	// 039_seed_rollup.sql; board_counts_rebuild, 043_board_counts.sql), not batch by batch: a
	// batch's cases fall on as many days as it has cases, and summing them into the days' rows
	// was half of the seed's time. Otherwise the triggers do it all as for any write.
	var bulk bool
	if err := s.pool.QueryRow(ctx, "select current_setting('is_superuser') = 'on'").Scan(&bulk); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	batch := o.Batch
	if batch <= 0 {
		batch = seedBatch
	}
	for done := written; done < o.Cases; {
		n := min(batch, o.Cases-done)
		var cases, tasks, audit [][]any
		ids := make([]string, 0, n)
		for range n {
			done++
			c, t, a := g.next(done)
			cases, tasks, audit = append(cases, c), append(tasks, t...), append(audit, a...)
			ids = append(ids, c[0].(string))
		}
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if bulk {
				if _, err := tx.Exec(ctx, "set local session_replication_role = replica"); err != nil {
					return fmt.Errorf("triggers off: %w", err)
				}
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cases"}, seedCaseColumns, pgx.CopyFromRows(cases)); err != nil {
				return fmt.Errorf("copy cases: %w", err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tasks"}, seedTaskColumns, pgx.CopyFromRows(tasks)); err != nil {
				return fmt.Errorf("copy tasks: %w", err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_log"}, seedAuditColumns, pgx.CopyFromRows(audit)); err != nil {
				return fmt.Errorf("copy audit_log: %w", err)
			}
			if _, err := tx.Exec(ctx, "update seed_runs set written = $2, rollup_pending = rollup_pending or $3 where seed = $1", o.Seed, done, bulk); err != nil {
				return fmt.Errorf("seed run: %w", err)
			}
			if bulk {
				// The facts once, the triggers still off: the rollups are summed at the end.
				// The log's part of the facts first: case_facts_refresh reads it.
				for _, f := range []string{"case_log_facts_rebuild", "case_facts_refresh"} {
					if _, err := tx.Exec(ctx, "select "+f+"($1::uuid[])", ids); err != nil {
						return fmt.Errorf("facts: %w", err)
					}
				}
				// The statements the search reads, which a trigger writes otherwise.
				if _, err := tx.Exec(ctx, `insert into case_statements (case_id, body)
					select id, statement_of(data) from cases where id = any($1::uuid[]) and statement_of(data) is not null`, ids); err != nil {
					return fmt.Errorf("statements: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: seed: %w", err)
		}
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	// The rollups of this run's batches, and of any run cut short before they were summed.
	wrote := written < o.Cases
	var pending bool
	if err := s.pool.QueryRow(ctx, "select exists (select from seed_runs where rollup_pending)").Scan(&pending); err != nil {
		return fmt.Errorf("store: seed: %w", err)
	}
	stage := func(what string) func() {
		if o.Stage == nil {
			return func() {}
		}
		return o.Stage(what)
	}
	if pending {
		// The boards' counts first: case_stats_rebuild clears the runs' mark, which a run cut
		// short between the two leaves for the next.
		done := stage("counting the open tasks for the supervision boards")
		if _, err := s.pool.Exec(ctx, "select board_counts_rebuild()"); err != nil {
			return fmt.Errorf("store: seed: the boards' counts: %w", err)
		}
		done()
		done = stage("summing the statistics' daily and monthly figures")
		if _, err := s.pool.Exec(ctx, "select case_stats_rebuild()"); err != nil {
			return fmt.Errorf("store: seed: the statistics' rollups: %w", err)
		}
		done()
	}
	if !wrote && !pending {
		return nil
	}
	defer stage("analyzing the tables for the query planner")()
	_, err = s.pool.Exec(ctx, "analyze cases; analyze tasks; analyze audit_log; analyze case_facts; analyze case_log_facts; analyze case_statements; analyze case_stats_daily; analyze case_stats_monthly; analyze board_counts")
	return err
}

// startSeedRun records the seed's run when it is the first, and returns how many of its cases
// are written and the clock it draws from (now for a first run, the first run's otherwise).
func (s *Store) startSeedRun(ctx context.Context, seed int64, now time.Time) (written int, at time.Time, err error) {
	for range 2 {
		// A run of the same seed starting at once commits its row while this statement waits
		// on it, unseen by the statement's snapshot: the second try reads it.
		err = s.pool.QueryRow(ctx, `with new as (
				insert into seed_runs (seed, now) values ($1, $2) on conflict (seed) do nothing returning written, now)
			select written, now from new union all select written, now from seed_runs where seed = $1 limit 1`,
			seed, now).Scan(&written, &at)
		if !errors.Is(err, pgx.ErrNoRows) {
			break
		}
	}
	return written, at.In(now.Location()), err
}

// SeedWritten is how many cases the seed's runs have written so far.
func (s *Store) SeedWritten(ctx context.Context, seed int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, "select coalesce((select written from seed_runs where seed = $1), 0)", seed).Scan(&n)
	return n, err
}

var (
	seedCaseColumns = []string{"id", "number", "matter", "status", "step", "level", "org_unit", "received_by", "channel",
		"subject", "resident_name", "data", "procedure_key", "procedure_version", "created_by", "received_at", "updated_at",
		"seq", "outcome", "overdue", "due_at", "escalations", "outcome_kind", "on_spot"}
	seedTaskColumns = []string{"case_id", "id", "step", "name", "org_unit", "level", "role", "department", "status",
		"priority", "opened_at", "due_at", "warn_at", "overdue", "suspended", "outcome", "closed_at", "detail", "seq"}
	seedAuditColumns = []string{"case_id", "seq", "at", "actor", "action", "reason", "before", "after"}
)

// seeder draws the synthetic cases: case i from a random source seeded by the seed and i.
type seeder struct {
	o         SeedOptions
	src       *rand.PCG
	r         *rand.Rand
	receivers []definitions.OrgUnit
	depts     []string
	procs     map[definitions.Matter]*definitions.Procedure
}

func newSeeder(o SeedOptions) (*seeder, error) {
	src := rand.NewPCG(uint64(o.Seed), 0)
	g := &seeder{o: o, src: src, r: rand.New(src), procs: map[definitions.Matter]*definitions.Procedure{}}
	lib, err := definitions.Library()
	if err != nil {
		return nil, err
	}
	for _, p := range lib {
		g.procs[definitions.Matter(p.Key)] = p
	}
	for _, u := range o.Org.Units {
		if u.Level != definitions.LevelGovernment {
			// Villages receive most matters: weight them by repeating.
			w := map[definitions.Level]int{definitions.LevelGroup: 1, definitions.LevelVillage: 3, definitions.LevelTown: 6, definitions.LevelBanner: 40}[u.Level]
			for range w {
				g.receivers = append(g.receivers, u)
			}
		}
	}
	for _, d := range o.Org.Departments {
		g.depts = append(g.depts, d.Code)
	}
	return g, nil
}

var (
	seedSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "白", "包", "乌", "斯", "额尔敦"}
	seedGiven    = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "巴特尔", "其其格", "乌云", "斯琴", "苏和", "宝音", "那日苏", "额尔德尼", "萨仁", "图雅", "阿拉坦"}
	seedSubjects = map[definitions.Matter][]string{
		definitions.MatterPetition:     {"草场边界纠纷反映", "征地补偿款发放问题", "农民工工资拖欠投诉", "小区物业服务投诉", "道路施工扬尘噪声", "低保评定异议", "房屋拆迁安置诉求", "饮水工程建设建议"},
		definitions.MatterMediation:    {"邻里宅基地纠纷", "草牧场承包经营纠纷", "婚姻家庭矛盾", "交通事故损害赔偿", "劳务费用纠纷", "牲畜损害赔偿", "借款合同纠纷", "物业费纠纷"},
		definitions.MatterLegalAid:     {"追索劳动报酬法律援助申请", "工伤赔偿法律援助", "赡养费纠纷法律援助", "人身损害赔偿援助", "刑事辩护法律援助"},
		definitions.MatterNotarization: {"继承权公证", "委托书公证", "学历证明公证", "房屋买卖合同公证", "亲属关系公证"},
		definitions.MatterConsultation: {"土地承包政策咨询", "劳动合同法律咨询", "婚姻继承法律咨询", "房屋租赁咨询", "社保待遇咨询"},
	}
	// seedDetails are the circumstances a case's subject ends with, by weight out of 10,000: the
	// search's words from common (草场, 协商) to rare (沙柳, 2 in 10,000 cases; 柳 is in no other
	// seeded text). No seeded text has 驼 (驼羔): the word no case has.
	seedDetails       = []string{"涉及草场面积约三十亩", "双方多次协商未果", "已向村委会反映", "涉及工资结算", "请求尽快答复", "涉及沙柳林地补植"}
	seedDetailWeights = []int{1500, 3000, 2000, 1500, 1998, 2}
	seedMatters       = []definitions.Matter{definitions.MatterPetition, definitions.MatterMediation, definitions.MatterLegalAid, definitions.MatterNotarization, definitions.MatterConsultation}
	seedWeights       = []int{30, 35, 8, 12, 15}
	seedChannels      = []onedoor.Channel{onedoor.ChannelVisit, onedoor.ChannelVisit, onedoor.ChannelVisit, onedoor.ChannelPhone, onedoor.ChannelLetter, onedoor.ChannelOnline, onedoor.ChannelGrid}
	// seedOutcomes are the decisive outcomes of each matter, with weights, whether the case was
	// accepted before, and the step they are taken at: a closed case gets them as done tasks,
	// whose kinds the statistics count, and the audit line a workflow writes.
	seedOutcomes = map[definitions.Matter][]struct {
		id       string
		weight   int
		accepted bool
		step     string
	}{
		definitions.MatterPetition:     {{"on_spot", 25, true, "intake"}, {"opinion", 55, true, "handle"}, {"decline", 8, false, "accept"}, {"transfer", 7, false, "accept"}, {"redirect", 5, false, "intake"}},
		definitions.MatterMediation:    {{"on_spot", 30, true, "intake"}, {"agreed", 35, true, "handle"}, {"oral", 10, true, "handle"}, {"failed", 15, true, "handle"}, {"decline", 5, false, "accept"}, {"transfer", 5, false, "accept"}},
		definitions.MatterLegalAid:     {{"concluded", 70, true, "handle"}, {"terminated", 8, true, "handle"}, {"refuse", 15, false, "accept"}, {"consult", 7, false, "intake"}},
		definitions.MatterNotarization: {{"issued", 80, true, "handle"}, {"refused", 8, true, "handle"}, {"decline", 7, false, "accept"}, {"withdraw", 5, false, "intake"}},
		definitions.MatterConsultation: {{"on_spot", 70, true, "intake"}, {"answered", 20, true, "handle"}, {"to_mediation", 6, false, "accept"}, {"to_legal_aid", 4, false, "accept"}},
	}
	seedAccept = map[definitions.Matter]string{definitions.MatterPetition: "accept", definitions.MatterMediation: "accept",
		definitions.MatterLegalAid: "approve", definitions.MatterNotarization: "accept", definitions.MatterConsultation: "accept"}
)

func (g *seeder) pick(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := g.r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *seeder) uuid() string {
	var b [16]byte
	for i := range 2 {
		v := g.r.Uint64()
		for j := range 8 {
			b[i*8+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

func (g *seeder) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

// next is the i-th case (1-based): its cases row, task rows and audit rows.
func (g *seeder) next(i int) (caseRow []any, taskRows, auditRows [][]any) {
	g.src.Seed(uint64(g.o.Seed), uint64(i)^0x9e3779b97f4a7c15)
	r := g.r
	now := g.o.Now
	matter := seedMatters[g.pick(seedWeights)]
	recv := g.receivers[r.IntN(len(g.receivers))]
	chain := g.o.Org.Chain(recv.Code)
	// Received on a working hour of a day in the last two years.
	day := definitions.DateOf(now.Add(-time.Duration(r.IntN(730*24)) * time.Hour))
	received := day.Start().Add(8*time.Hour + 30*time.Minute + time.Duration(r.IntN(9*3600))*time.Second)
	if received.After(now) {
		received = now.Add(-time.Duration(r.IntN(3600)+60) * time.Second)
	}
	age := now.Sub(received)
	closedP := 0.97
	if age < 90*24*time.Hour {
		closedP = 0.2 + 0.75*age.Hours()/(90*24)
	}
	closed := r.Float64() < closedP
	escalations := 0
	if x := r.IntN(100); x < 4 && len(chain) > 2 {
		escalations = 2
	} else if x < 18 && len(chain) > 1 {
		escalations = 1
	}
	holder := chain[min(escalations, len(chain)-1)]
	outs := seedOutcomes[matter]
	ws := make([]int, len(outs))
	for k, o := range outs {
		ws[k] = o.weight
	}
	out := outs[g.pick(ws)]
	if escalations > 0 && out.id == "on_spot" {
		out = outs[1]
	}
	name := seedSurnames[r.IntN(len(seedSurnames))] + seedGiven[r.IntN(len(seedGiven))]
	subjects := seedSubjects[matter]
	data := map[string]any{
		"phone":   "1" + []string{"3", "5", "8"}[r.IntN(3)] + g.digits(9),
		"address": fmt.Sprintf("乌审旗%s%d号", recv.Name, 1+r.IntN(300)),
		"facts":   subjects[r.IntN(len(subjects))], // its circumstance and request follow below
	}
	if matter == definitions.MatterLegalAid || matter == definitions.MatterNotarization {
		data["id_number"] = "150626" + fmt.Sprintf("%04d%02d%02d", 1950+r.IntN(55), 1+r.IntN(12), 1+r.IntN(28)) + g.digits(4)
	}
	if matter == definitions.MatterMediation {
		data["dispute_type"] = []string{"neighbour", "family", "damages", "contract", "land"}[r.IntN(5)]
		data["amount"] = r.IntN(50000)
		data["parties"] = 2 + r.IntN(3)
	}
	id := g.uuid()
	number := fmt.Sprintf("%s-S%d-%07d", onedoor.NumberPrefix("WS", matter, received.Year()), g.o.Seed, i)

	// The audit trail: register, the escalations, acceptance, the decisive outcome, closing.
	at := received
	step := func(max time.Duration) time.Time {
		at = at.Add(time.Duration(r.Int64N(int64(max))) + time.Minute)
		if at.After(now) {
			at = now
		}
		return at
	}
	seq := int64(0)
	status := onedoor.StatusOpen
	overdueEver := r.IntN(100) < 12
	after := func(st onedoor.Status, esc int) []byte {
		b, _ := json.Marshal(map[string]any{"status": st, "escalations": esc, "overdue": false})
		return b
	}
	add := func(t time.Time, actor, action, reason string, st onedoor.Status, esc int) {
		seq++
		auditRows = append(auditRows, []any{id, seq, t, actor, action, reason, nil, after(st, esc)})
	}
	add(received, SeedCreator, "register", "", onedoor.StatusOpen, 0)
	for e := 1; e <= escalations; e++ {
		add(step(72*time.Hour), "system", "escalate", "the level's escalation rule holds", onedoor.StatusOpen, e)
	}
	var outcome, kind string
	var onSpot bool
	var taken []definitions.Taken
	updated := at
	if closed {
		if out.accepted && out.id != "on_spot" {
			add(step(48*time.Hour), SeedCreator, "complete", seedAccept[matter], onedoor.StatusOpen, escalations)
		}
		if overdueEver {
			add(step(20*24*time.Hour), "system", "deadline_overdue", "overdue [t2]", onedoor.StatusOpen, escalations)
		}
		t := step(25 * 24 * time.Hour)
		add(t, SeedCreator, "complete", out.id, onedoor.StatusOpen, escalations)
		status, outcome, updated = onedoor.StatusClosed, "closed", step(3*24*time.Hour)
		if !out.accepted || out.id == "redirect" || out.id == "consult" || out.id == "withdraw" {
			outcome = out.id
		}
		add(updated, SeedCreator, "close", "", onedoor.StatusClosed, escalations)
		// The outcomes taken, as the workflow's done tasks; what they mean comes from the
		// procedure, as when the workflow closes a case.
		if out.accepted && out.id != "on_spot" {
			taken = append(taken, definitions.Taken{Step: "accept", Outcome: seedAccept[matter]})
		}
		taken = append(taken, definitions.Taken{Step: out.step, Outcome: out.id})
		k, spot := g.procs[matter].Result(out.step, out.id, taken)
		kind, onSpot = string(k), spot
	}

	level := holder.Level
	var caseDue *time.Time
	caseOverdue := false
	stepID := ""
	if !closed {
		stepID = []string{"intake", "accept", "handle", "handle"}[r.IntN(4)]
		if stepID != "intake" {
			add(step(48*time.Hour), SeedCreator, "complete", "register", onedoor.StatusOpen, escalations)
		}
		opened := at
		due := opened.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour)
		warn := due.Add(-48 * time.Hour)
		over := due.Before(now)
		if over {
			add(due, "system", "deadline_overdue", "overdue [t1]", onedoor.StatusOpen, escalations)
		}
		dept := ""
		if stepID == "handle" && r.IntN(3) == 0 {
			dept = g.depts[r.IntN(len(g.depts))]
		}
		task := onedoor.Task{ID: "t1", Step: stepID, Name: stepID, OrgUnit: holder.Code, Level: level, Role: "clerk",
			Department: dept, Status: onedoor.TaskOpen, Priority: "normal", OpenedAt: opened, DueAt: &due, WarnAt: &warn, Overdue: over}
		if over {
			task.Priority = "urgent"
		} else if warn.Before(now) {
			task.Priority = "high"
		}
		detail, _ := json.Marshal(task)
		taskRows = append(taskRows, []any{id, task.ID, task.Step, task.Name, holder.Code, string(level), "clerk", nullable(dept),
			string(task.Status), task.Priority, opened, due, warn, over, false, "", nil, detail, seq})
		caseDue, caseOverdue = &due, over
		updated = at
	} else if r.IntN(5) == 0 {
		dept := g.depts[r.IntN(len(g.depts))]
		opened := received.Add(time.Hour)
		task := onedoor.Task{ID: "t1", Step: "handle", Name: "handle", OrgUnit: holder.Code, Level: level, Role: "clerk",
			Department: dept, Status: onedoor.TaskDone, Priority: "normal", OpenedAt: opened, Outcome: "take", ClosedAt: &updated}
		detail, _ := json.Marshal(task)
		taskRows = append(taskRows, []any{id, task.ID, task.Step, task.Name, holder.Code, string(level), "clerk", dept,
			string(task.Status), task.Priority, opened, nil, nil, false, false, "take", updated, detail, seq})
	}
	for n, tk := range taken {
		task := onedoor.Task{ID: fmt.Sprintf("k%d", n+1), Step: tk.Step, Name: tk.Step, OrgUnit: holder.Code, Level: level, Role: "clerk",
			Status: onedoor.TaskDone, Priority: "normal", OpenedAt: received, Outcome: tk.Outcome, ClosedAt: &updated}
		detail, _ := json.Marshal(task)
		taskRows = append(taskRows, []any{id, task.ID, task.Step, task.Name, holder.Code, string(level), "clerk", nil,
			string(task.Status), task.Priority, received, nil, nil, false, false, tk.Outcome, updated, detail, seq})
	}
	channel, subject := seedChannels[r.IntN(len(seedChannels))], subjects[r.IntN(len(subjects))]
	// The subject's circumstance is drawn last, so that every other value of case i is what it
	// was before the subject had one.
	detail := seedDetails[g.pick(seedDetailWeights)]
	subject += "（" + detail + "）"
	// The statement tells the circumstance too: the search finds its rare words there as well.
	data["facts"] = data["facts"].(string) + "，" + detail + "，当事人请求依法处理。"
	dataJSON, _ := json.Marshal(data)
	caseRow = []any{id, number, string(matter), string(status), stepID, string(level), holder.Code, recv.Code,
		string(channel), subject, name, dataJSON, string(matter), 1,
		SeedCreator, received, updated, seq, outcome, caseOverdue, caseDue, escalations, kind, onSpot}
	return caseRow, taskRows, auditRows
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
