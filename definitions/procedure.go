package definitions

import (
	"encoding/json"
	"slices"
	"strings"
)

// Status is where a procedure version is in its life: drafts are edited, a published version
// is frozen and used by new cases, a retired one is kept for the cases that still run on it.
type Status string

// The statuses of a procedure version.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusRetired   Status = "retired"
)

// EndStep is the reserved target of an outcome that closes the case.
const EndStep = "end"

// Move is how an outcome moves a case along the five-link chain.
type Move string

// The moves. An outcome without a move keeps the case at its level.
const (
	MoveUp   Move = "up"   // escalate to the next level up (上报)
	MoveDown Move = "down" // hand down to the level below (交办)
)

// Roles that a step may be assigned to. They are the user roles of package onedoor that work
// on cases (admin and auditor never hold a case); definitions cannot import onedoor, which
// imports definitions, so the values are repeated here.
const (
	RoleClerk      = "clerk"      // window staff of an org unit
	RoleSupervisor = "supervisor" // watches deadlines, approves extensions, issues supervision orders
	RoleGrid       = "grid"       // grid worker
	RoleDepartment = "department" // staff of a department; set with Assignee.Department
)

// AssignableRoles lists the roles a step may be assigned to.
var AssignableRoles = []string{RoleClerk, RoleSupervisor, RoleGrid, RoleDepartment}

// Procedure is one version of the definition of how a matter is handled: its case form, the
// steps a case goes through, and the rules each level of the chain applies. YAML on disk and
// JSON through the API carry the same fields.
type Procedure struct {
	Key         string `json:"key" yaml:"key"`
	Matter      Matter `json:"matter,omitempty" yaml:"matter,omitempty"`
	Name        string `json:"name" yaml:"name"`
	NameEN      string `json:"name_en,omitempty" yaml:"name_en,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Version     int    `json:"version" yaml:"version"`
	Status      Status `json:"status" yaml:"status"`
	// ValidFrom is the first day (Asia/Shanghai) new cases may start on this version.
	ValidFrom  Date       `json:"valid_from" yaml:"valid_from"`
	LegalBasis []Citation `json:"legal_basis,omitempty" yaml:"legal_basis,omitempty"`
	Form       Form       `json:"form,omitempty" yaml:"form,omitempty"`
	// Start is the id of the first step; empty means the first step listed.
	Start  string               `json:"start,omitempty" yaml:"start,omitempty"`
	Steps  []Step               `json:"steps" yaml:"steps"`
	Levels map[Level]LevelRules `json:"levels,omitempty" yaml:"levels,omitempty"`
	// Clocks are the case's statutory periods, counted once across levels (see Clock).
	Clocks []Clock `json:"clocks,omitempty" yaml:"clocks,omitempty"`
	// LateRegistration is how long after its receipt a matter may still be registered with its
	// real receipt time (补录: a letter's postmark, a paper register typed in later);
	// DefaultLateRegistration when nil.
	LateRegistration *Period `json:"late_registration,omitempty" yaml:"late_registration,omitempty"`
	// Locked are the parts of this procedure, as a template, that counties may not change in
	// their overrides (see Override); none when empty: a county may shorten its deadlines, set its
	// diversion table and add form fields, each within its bounds.
	Locked []OverridePart `json:"locked,omitempty" yaml:"locked,omitempty"`
}

// OverridePart is a part of a template a county's override may change.
type OverridePart string

// The parts of a template a county may change; a template locks some of them with locked.
const (
	PartDeadlines OverridePart = "deadlines" // deadlines and level_deadlines
	PartDiversion OverridePart = "diversion"
	PartForm      OverridePart = "form"
)

// OverrideParts are the parts of a template a county's override may change, unless locked.
var OverrideParts = []OverridePart{PartDeadlines, PartDiversion, PartForm}

// Citation is a legal provision the procedure implements.
type Citation struct {
	Law     string `json:"law" yaml:"law"`                             // e.g. 信访工作条例
	Article string `json:"article" yaml:"article"`                     // e.g. 第三十四条 / Art.34
	Summary string `json:"summary,omitempty" yaml:"summary,omitempty"` // what it requires, in a line
	// Unofficial marks a source only unofficial sites carry, so reviewers know to check it.
	Unofficial bool `json:"unofficial,omitempty" yaml:"unofficial,omitempty"`
}

// Step is one stage of a case: who holds it, how long they have, and what they may decide.
type Step struct {
	ID       string    `json:"id" yaml:"id"`
	Name     string    `json:"name" yaml:"name"`
	NameEN   string    `json:"name_en,omitempty" yaml:"name_en,omitempty"`
	Assignee Assignee  `json:"assignee" yaml:"assignee"`
	Deadline *Deadline `json:"deadline,omitempty" yaml:"deadline,omitempty"`
	Outcomes []Outcome `json:"outcomes" yaml:"outcomes"`
	// Guards must all hold before the step can be completed with any outcome.
	Guards []Guard `json:"guards,omitempty" yaml:"guards,omitempty"`
	// Required are the form fields that must be filled in before the step can be completed.
	Required []string `json:"required,omitempty" yaml:"required,omitempty"`
	// Returnable are the earlier steps the holder may send the case back to (退回), with a
	// reason; none when empty.
	Returnable []string `json:"returnable,omitempty" yaml:"returnable,omitempty"`
	// Fields are the rights on form fields at this step (字段权限), by field name: readonly,
	// hidden, required or editable. A field not named is editable, or required when Required
	// names it.
	Fields map[string]FieldRight `json:"fields,omitempty" yaml:"fields,omitempty"`
	// WaitsOn names who does the step's work outside the center: "court" for a referral to the
	// court's pre-litigation mediation (诉调对接). Its task is the referral, waiting with the
	// step's own deadline; its outcomes are the court's results (CourtResults), recorded by a
	// clerk or imported from the court's export. Empty for the center's own steps.
	WaitsOn string `json:"waits_on,omitempty" yaml:"waits_on,omitempty"`
}

// WaitsOnCourt marks a step that waits on the court's pre-litigation mediation (诉前调解).
const WaitsOnCourt = "court"

// The court's results of a pre-litigation mediation: the outcome ids a step that waits on the
// court must have, and the results an import of the court's export may record.
const (
	CourtAgreement = "agreement" // 调解成功: the parties agreed at the court's mediation
	CourtConfirmed = "confirmed" // 司法确认: the agreement was also confirmed by the court
	CourtFailed    = "failed"    // 调解不成: the mediation failed and the dispute is filed as a lawsuit
)

// CourtResults are the court's results, in the order the workbench lists them.
var CourtResults = []string{CourtAgreement, CourtConfirmed, CourtFailed}

// CourtSucceeded reports whether the court's result counts as a successful mediation.
func CourtSucceeded(result string) bool { return result == CourtAgreement || result == CourtConfirmed }

// FieldRight is what the holder of a step may do with a form field.
type FieldRight string

// The rights on a form field at a step.
const (
	RightEditable FieldRight = "editable" // shown and may be changed (the default)
	RightReadOnly FieldRight = "readonly" // shown, not changed: an action changing it is refused
	RightHidden   FieldRight = "hidden"   // not shown to the step's holder, nor changed by them
	RightRequired FieldRight = "required" // must be filled in before the step is completed
)

// FieldRights lists the rights on a form field.
var FieldRights = []FieldRight{RightEditable, RightReadOnly, RightHidden, RightRequired}

// Right is the right on the form field name at the step.
func (s Step) Right(name string) FieldRight {
	if r, ok := s.Fields[name]; ok && r != "" {
		return r
	}
	if slices.Contains(s.Required, name) {
		return RightRequired
	}
	return RightEditable
}

// RequiredFields are the form fields that must be filled in before the step is completed:
// those Required names, then those Fields marks required, in the form's order.
func (s Step) RequiredFields(form Form) []string {
	out := slices.Clone(s.Required)
	for _, f := range form {
		if s.Fields[f.Name] == RightRequired && !slices.Contains(out, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// Rights are the rights at the step on the form's fields that are not plainly editable, by
// field name: what the allowed-actions answer and the workbench's form say.
func (s Step) Rights(form Form) map[string]FieldRight {
	out := map[string]FieldRight{}
	for _, f := range form {
		if r := s.Right(f.Name); r != RightEditable {
			out[f.Name] = r
		}
	}
	return out
}

// Assignee says who holds a step: a role at a level (clerk at the village), or a department.
type Assignee struct {
	// Level is the level of the chain that holds the step; empty means the case's current level.
	Level      Level  `json:"level,omitempty" yaml:"level,omitempty"`
	Role       string `json:"role,omitempty" yaml:"role,omitempty"`
	Department string `json:"department,omitempty" yaml:"department,omitempty"`
	// Diverted means the departments chosen by the level's divert rule hold the step.
	Diverted bool `json:"diverted,omitempty" yaml:"diverted,omitempty"`
}

// Deadline is how long a step may take: a fixed period or an expression returning one.
type Deadline struct {
	Amount int  `json:"amount,omitempty" yaml:"amount,omitempty"`
	Unit   Unit `json:"unit,omitempty" yaml:"unit,omitempty"`
	// Expr computes the period instead, e.g. `data.urgent ? days(5) : days(15)`.
	Expr string `json:"expr,omitempty" yaml:"expr,omitempty"`
	// Suspendable lets the holder stop the clock (verification, hearings, missing papers).
	Suspendable bool `json:"suspendable,omitempty" yaml:"suspendable,omitempty"`
	// MaxSuspension caps how long one suspension may last: the clock starts again by itself
	// when it is reached. No cap when nil.
	MaxSuspension *Period `json:"max_suspension,omitempty" yaml:"max_suspension,omitempty"`
	// Extendable lets a supervisor extend the deadline, at most MaxExtensions times and by at
	// most Extension in total.
	Extendable    bool    `json:"extendable,omitempty" yaml:"extendable,omitempty"`
	Extension     *Period `json:"extension,omitempty" yaml:"extension,omitempty"`
	MaxExtensions int     `json:"max_extensions,omitempty" yaml:"max_extensions,omitempty"`
	// Basis cites the provision that sets the deadline, shown next to the due date.
	Basis string `json:"basis,omitempty" yaml:"basis,omitempty"`
	// From is where the period counts from: "step" (when the step opens, the default) or
	// "received" (when the center received the matter), for statutory periods counted from
	// receipt such as the written notice of 信访工作条例 Art.23.
	From string `json:"from,omitempty" yaml:"from,omitempty"`
}

// The starting points of a deadline.
const (
	FromStep     = "step"
	FromReceived = "received"
)

// Period is the fixed period of the deadline; ok is false when it is computed by Expr.
func (d Deadline) Period() (p Period, ok bool) {
	if d.Expr != "" {
		return Period{}, false
	}
	return Period{d.Amount, d.Unit}, true
}

// IsReviewRequest reports whether the outcome id is one through which a resident asks for a
// review or a re-review of an answer (复查, 复核): request_review, request_rereview.
func IsReviewRequest(outcome string) bool {
	return strings.HasPrefix(outcome, "request_") && strings.Contains(outcome, "review")
}

// Outcome is a decision a clerk may take to complete a step, and where it leads.
type Outcome struct {
	ID     string `json:"id" yaml:"id"`
	Name   string `json:"name" yaml:"name"`
	NameEN string `json:"name_en,omitempty" yaml:"name_en,omitempty"`
	// Next is the id of the following step, or "end" to close the case.
	Next string `json:"next" yaml:"next"`
	// Move escalates the case up the chain or hands it down before it enters Next.
	Move Move `json:"move,omitempty" yaml:"move,omitempty"`
	// When is a condition that must hold for the outcome to be offered, e.g. `level != "government"`.
	When string `json:"when,omitempty" yaml:"when,omitempty"`
	// Kind is what taking the outcome means, in words the statistics count whatever the
	// outcome's id: accepted (受理), or a result such as resolved or mediated_success.
	Kind Kind `json:"kind,omitempty" yaml:"kind,omitempty"`
	// OnSpot marks handling the matter on the spot at the first visit (首访首办, 即知即调).
	OnSpot bool `json:"on_spot,omitempty" yaml:"on_spot,omitempty"`
	// Batchable lets a clerk take the outcome on several tasks at once (批量办理): an outcome
	// that needs no written opinion — its step requires no field, it hands nothing down and its
	// next step is not the departments'.
	Batchable bool `json:"batchable,omitempty" yaml:"batchable,omitempty"`
}

// Kind is the meaning of an outcome for the statistics: accepted, which takes the matter on
// and lets the case go on, or one of the results that say how a case ended.
type Kind string

// The kinds of outcome.
const (
	KindAccepted        Kind = "accepted"         // the matter is taken on (受理); not a result
	KindResolved        Kind = "resolved"         // handled: answered, opinion issued, certificate issued, aid concluded
	KindMediatedSuccess Kind = "mediated_success" // mediation ended in an agreement (调解成功)
	KindMediatedFailure Kind = "mediated_failure" // mediation ended without one (调解不成)
	KindWithdrawn       Kind = "withdrawn"        // the resident withdrew the matter
	KindTransferred     Kind = "transferred"      // sent to the competent organ or to another procedure
	KindRefused         Kind = "refused"          // examined and refused on its merits (不予援助, 不予办理)
	KindTerminated      Kind = "terminated"       // handling stopped part way (终止法律援助)
	KindNotAccepted     Kind = "not_accepted"     // not taken on (不予受理, not a matter for this procedure)
)

// Kinds lists the kinds of outcome; every one but accepted is a result.
var Kinds = []Kind{KindAccepted, KindResolved, KindMediatedSuccess, KindMediatedFailure, KindWithdrawn,
	KindTransferred, KindRefused, KindTerminated, KindNotAccepted}

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Result reports whether k says how a case ended.
func (k Kind) Result() bool { return k != KindAccepted && k.Valid() }

// Taken is an outcome a case took at a step.
type Taken struct {
	Step, Outcome string
}

// Result is how a case that closes at step with the outcome closing ended, given the outcomes
// taken before (oldest first), and whether it was handled on the spot. closing may be a result
// kind itself (transferred, not_accepted, or the resolved or withdrawn of a supervisor's close).
// Otherwise the result is the kind of the closing outcome at step, else the last result taken
// before it (a closing step's "closed" keeps the mediated_success of the agreement before it),
// else that of an outcome with the id closing at any step; "" when none says. onSpot is true
// when an outcome marked on_spot was taken.
func (p *Procedure) Result(step, closing string, taken []Taken) (kind Kind, onSpot bool) {
	kindOf := func(step, outcome string) (Kind, bool) {
		if s, ok := p.Step(step); ok {
			if o, ok := s.Outcome(outcome); ok {
				return o.Kind, o.OnSpot
			}
		}
		return "", false
	}
	for _, t := range taken {
		if _, spot := kindOf(t.Step, t.Outcome); spot {
			onSpot = true
		}
	}
	if k := Kind(closing); k.Result() {
		return k, onSpot
	}
	k, spot := kindOf(step, closing)
	onSpot = onSpot || spot
	if k.Result() {
		return k, onSpot
	}
	for i := len(taken) - 1; i >= 0; i-- {
		if k, _ := kindOf(taken[i].Step, taken[i].Outcome); k.Result() {
			return k, onSpot
		}
	}
	for _, s := range p.Steps {
		if o, ok := s.Outcome(closing); ok && o.Kind.Result() {
			return o.Kind, onSpot
		}
	}
	return "", onSpot
}

// Guard is a condition that must hold to complete a step, with the message shown otherwise.
type Guard struct {
	Expr    string `json:"expr" yaml:"expr"`
	Message string `json:"message" yaml:"message"`
}

// LevelRules are the rules one level of the chain applies to a case of this procedure. Each
// is an expression over Env; an empty rule takes its default.
type LevelRules struct {
	// FirstVisit: may the receiving window handle the case on the spot (首访首办)? Default no.
	FirstVisit string `json:"first_visit,omitempty" yaml:"first_visit,omitempty"`
	// Accept: may this level accept the case? Default yes.
	Accept string `json:"accept,omitempty" yaml:"accept,omitempty"`
	// Divert: which department code, or list of codes, the case goes to (分流指派). Default none.
	Divert string `json:"divert,omitempty" yaml:"divert,omitempty"`
	// Escalate: must the case move up to the next level now? Default no.
	Escalate string `json:"escalate,omitempty" yaml:"escalate,omitempty"`
	// Deadlines override step deadlines at this level, by step id.
	Deadlines map[string]Deadline `json:"deadlines,omitempty" yaml:"deadlines,omitempty"`
}

// Step finds a step by id.
func (p *Procedure) Step(id string) (*Step, bool) {
	for i := range p.Steps {
		if p.Steps[i].ID == id {
			return &p.Steps[i], true
		}
	}
	return nil, false
}

// StartStep is the id of the step a new case starts in.
func (p *Procedure) StartStep() string {
	if p.Start != "" || len(p.Steps) == 0 {
		return p.Start
	}
	return p.Steps[0].ID
}

// Outcome finds an outcome of the step by id.
func (s *Step) Outcome(id string) (*Outcome, bool) {
	for i := range s.Outcomes {
		if s.Outcomes[i].ID == id {
			return &s.Outcomes[i], true
		}
	}
	return nil, false
}

// DeadlineAt is the step's deadline at a level: the level's override if it has one.
func (p *Procedure) DeadlineAt(stepID string, level Level) *Deadline {
	if r, ok := p.Levels[level]; ok {
		if d, ok := r.Deadlines[stepID]; ok {
			return &d
		}
	}
	if s, ok := p.Step(stepID); ok && s.Deadline != nil {
		d := *s.Deadline
		return &d
	}
	return nil
}

// Clone is a deep copy, so a caller may edit it without touching a published version.
func (p *Procedure) Clone() *Procedure {
	b, err := json.Marshal(p)
	if err != nil {
		panic("definitions: clone: " + err.Error()) // every field marshals; a failure is a bug
	}
	var c Procedure
	if err := json.Unmarshal(b, &c); err != nil {
		panic("definitions: clone: " + err.Error())
	}
	return &c
}

// levelsInOrder are the levels that have rules, bottom up, so walks are deterministic.
func (p *Procedure) levelsInOrder() []Level {
	var out []Level
	for _, l := range Levels {
		if _, ok := p.Levels[l]; ok {
			out = append(out, l)
		}
	}
	var unknown []Level
	for l := range p.Levels {
		if !l.Valid() {
			unknown = append(unknown, l)
		}
	}
	slices.Sort(unknown)
	return append(out, unknown...)
}
