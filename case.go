package onedoor

import (
	"fmt"
	"strings"
	"time"

	"github.com/onedoor/onedoor/definitions"
)

// Channel is how a matter reached the center.
type Channel string

// The intake channels.
const (
	ChannelVisit  Channel = "visit"  // 来访 at a window
	ChannelLetter Channel = "letter" // 来信
	ChannelPhone  Channel = "phone"  // 来电
	ChannelOnline Channel = "online" // 网上
	ChannelGrid   Channel = "grid"   // a grid worker's report (网格上报)
)

// Status is where a case stands as a whole.
type Status string

// The case statuses.
const (
	StatusOpen   Status = "open"   // being handled
	StatusClosed Status = "closed" // concluded; may still be reviewed within its window
)

// Case is one matter a resident brought to the center, handled by one durable workflow that
// follows the procedure version the case started on.
type Case struct {
	ID               string             `json:"id" doc:"Case identifier (UUID)."`
	Number           string             `json:"number" doc:"Readable, unique case number, e.g. WS-PET-2026-000123."`
	Matter           definitions.Matter `json:"matter" doc:"Kind of matter."`
	Status           Status             `json:"status" doc:"open or closed."`
	Step             string             `json:"step" doc:"Current step of the procedure; empty when closed."`
	Outcome          string             `json:"outcome,omitempty" doc:"How the case was closed (the closing outcome)."`
	OutcomeKind      string             `json:"outcome_kind,omitempty" doc:"What the closing means, whatever the outcome's id: resolved, mediated_success, mediated_failure, withdrawn, transferred, refused, terminated or not_accepted; empty while open, or when no outcome taken said."`
	OnSpot           bool               `json:"on_spot,omitempty" doc:"The matter was handled on the spot at the first visit (首访首办)."`
	Overdue          bool               `json:"overdue" doc:"An open task of the case is past its due date."`
	DueAt            *time.Time         `json:"due_at,omitempty" doc:"Earliest due date of the case's open tasks."`
	Escalations      int                `json:"escalations" doc:"Times the case moved up the chain."`
	Visits           int                `json:"visits,omitempty" doc:"The resident's visits about the matter (the rules' visits): 1 at registration, one more than the earlier case's for a repeated visit (重复访, repeat_of), and one more for each visit recorded while the case is open (action visit). Absent counts as 1."`
	Supervision      []SupervisionOrder `json:"supervision,omitempty" doc:"Supervision orders (督办) issued on the case."`
	Findings         []Finding          `json:"findings,omitempty" doc:"Accountability findings (督办查究) on the case's overdue tasks and unanswered supervision orders."`
	Evaluation       *Evaluation        `json:"evaluation,omitempty" doc:"The resident's satisfaction, recorded after closing."`
	Links            []Link             `json:"links,omitempty" doc:"Cases opened from this one, or the case this one was opened from."`
	Residents        []CoResident       `json:"residents,omitempty" doc:"The other residents who bring the matter with the first (集体访, a group petition), each found by the resident lookup."`
	Conferences      []CaseConference   `json:"conferences,omitempty" doc:"Case conferences (会商研判) the case is put to: scheduled, held or cancelled."`
	Copies           []Copy             `json:"copies,omitempty" doc:"The users and org units the case was copied to for information (抄送), who may read it but not act on it."`
	Clocks           []CaseClock        `json:"clocks,omitempty" doc:"The case's statutory periods (法定期限), counted once across levels; each task's deadline is an internal target under them."`
	Level            definitions.Level  `json:"level" doc:"Level of the five-link chain that holds the case now."`
	OrgUnit          string             `json:"org_unit" doc:"Org unit that holds the case now."`
	ReceivedBy       string             `json:"received_by" doc:"Org unit whose window received the matter."`
	Channel          Channel            `json:"channel" doc:"How the matter reached the center."`
	Subject          string             `json:"subject" doc:"One-line subject of the matter."`
	ResidentName     string             `json:"resident_name" doc:"Name of the resident who brought the matter."`
	Data             map[string]any     `json:"data,omitempty" doc:"Intake data, per the procedure's form."`
	ProcedureKey     string             `json:"procedure_key" doc:"Procedure the case follows."`
	ProcedureVersion int                `json:"procedure_version" doc:"Procedure version the case is pinned to."`
	OverrideVersion  int                `json:"override_version,omitempty" doc:"Version of its county's override of the procedure (a template) the case is pinned to, beside the template version; absent when it runs on the procedure as published."`
	CreatedBy        string             `json:"created_by" doc:"User who registered the case."`
	ReceivedAt       time.Time          `json:"received_at" doc:"When the matter was received; deadlines counted from receipt count from it."`
	RegisteredAt     *time.Time         `json:"registered_at,omitempty" doc:"When a matter registered after the fact (补录) was registered; absent when it was registered on receipt."`
	LateReason       string             `json:"late_reason,omitempty" doc:"Why the matter was registered after the fact."`
	UpdatedAt        time.Time          `json:"updated_at" doc:"When the case last changed."`
}

// CaseClock is a statutory period of a case as it runs: started when the matter was received or
// when the case first entered a step (its acceptance), due after its period, moved by
// suspensions and extensions, and stopped when the procedure says or the case ends.
type CaseClock struct {
	ID          string                   `json:"id" doc:"The clock's id in the procedure."`
	Name        string                   `json:"name" doc:"What the period is for, e.g. 办理期限."`
	Basis       string                   `json:"basis,omitempty" doc:"The provision that sets the period."`
	Period      definitions.Period       `json:"period" doc:"The period, extensions included."`
	StartedAt   time.Time                `json:"started_at" doc:"When the period started."`
	DueAt       time.Time                `json:"due_at" doc:"When the period ends."`
	StoppedAt   *time.Time               `json:"stopped_at,omitempty" doc:"When the clock stopped; running when absent."`
	Overdue     bool                     `json:"overdue" doc:"The period ended before the clock stopped: the statutory deadline was missed."`
	Extensions  int                      `json:"extensions,omitempty" doc:"Times the period was extended."`
	Suspended   bool                     `json:"suspended,omitempty" doc:"The clock stands still while a task of the case is suspended."`
	SuspendedAt *time.Time               `json:"suspended_at,omitempty"`
	Suspensions []definitions.Suspension `json:"suspensions,omitempty"`
	Explanation *definitions.Explanation `json:"explanation,omitempty" doc:"How the end of the period was counted."`
}

// Running reports whether the clock has started and not stopped.
func (c *CaseClock) Running() bool { return c.StoppedAt == nil }

// WorkflowID is the Temporal workflow id of the case's workflow.
func (c *Case) WorkflowID() string { return WorkflowID(c.ID) }

// WorkflowID is the Temporal workflow id of the case with the given id.
func WorkflowID(caseID string) string { return "case-" + caseID }

// NumberPrefix is the prefix of case numbers of a matter in a year, e.g. WS-PET-2026. A matter of
// an administrator's own procedure is written in capitals, cut to numberCodeMax characters
// (land_dispute: WS-LAND_DISPUTE-2026), so that a number says its matter and stays short. Matters
// whose codes coincide share a counter, so numbers stay unique.
func NumberPrefix(org string, m definitions.Matter, year int) string {
	codes := map[definitions.Matter]string{
		definitions.MatterPetition:     "PET",
		definitions.MatterMediation:    "MED",
		definitions.MatterLegalAid:     "LAD",
		definitions.MatterNotarization: "NOT",
		definitions.MatterConsultation: "CON",
		definitions.MatterGridEvent:    "GRID",
	}
	code, ok := codes[m]
	if !ok {
		code = strings.ToUpper(strings.ReplaceAll(string(m), "-", "_"))
		if r := []rune(code); len(r) > numberCodeMax {
			code = string(r[:numberCodeMax])
		}
	}
	if code == "" {
		code = "GEN"
	}
	return fmt.Sprintf("%s-%s-%d", org, code, year)
}

// numberCodeMax bounds the matter's part of a case number.
const numberCodeMax = 12

// Copy is one recipient a case was copied to for information (抄送): a user, or an org unit
// whose staff may all read it.
type Copy struct {
	User    string    `json:"user,omitempty" doc:"The user the case was copied to."`
	OrgUnit string    `json:"org_unit,omitempty" doc:"The org unit the case was copied to: everyone posted there may read it."`
	By      string    `json:"by" doc:"Who copied it."`
	At      time.Time `json:"at"`
	Reason  string    `json:"reason,omitempty" doc:"Why, as the copier wrote it."`
}

// Link ties two cases: a petition that became a mediation, a mediation that needed legal aid.
type Link struct {
	CaseID   string             `json:"case_id"`
	Number   string             `json:"number"`
	Matter   definitions.Matter `json:"matter"`
	Relation string             `json:"relation" enum:"opened_from,opened,repeat_of,repeated_by" doc:"opened_from: this case was opened from the linked one; opened: the linked case was opened from this one; repeat_of: this case is a repeated visit (重复访) of the resident about the linked, earlier one; repeated_by: the linked case is a repeated visit about this one."`
}
