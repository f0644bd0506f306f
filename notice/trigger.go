package notice

import (
	"net/url"
	"strings"
	"time"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
)

// Draft is a notice a case event sends, before the outbox gives it an id.
type Draft struct {
	Key       Key
	Channel   string
	Recipient string // the resident's phone; org_unit/role or department/role for staff
	Vars      map[string]string
}

// Names looks up the Chinese names of org units and departments by code; a code it does not know
// stands for itself.
type Names interface {
	Unit(code string) string
	Department(code string) string
}

// Event is what a mirrored case event says to the outbox: whether it is the case's first
// (registration), the status before it, the case after it, the notifications it sends and the
// case's tasks.
type Event struct {
	First         bool
	Before        onedoor.Status
	Case          onedoor.Case
	Notifications []onedoor.Notification
	Tasks         []onedoor.Task
	// PublicURL is where residents reach the center's public pages (ONEDOOR_PUBLIC_URL); the
	// resident's notices then carry the case's status page, StatusURL. Empty leaves it empty.
	PublicURL string
	// RatingToken is the one-time rating link's token the result notice carries as RateURL,
	// under PublicURL; empty leaves RateURL empty.
	RatingToken string
}

// RatingWindow is how long a rating link sent with the result notice is valid after the case
// closed: as long as the case's workflow takes the resident's evaluation (workflows.AfterClose).
const RatingWindow = 30 * 24 * time.Hour

// RatingPath is the public page of a rating link, before its token.
const RatingPath = "/rate/"

// RateURL is the public page of the rating link with the token under publicURL: empty without
// a public address or a token.
func RateURL(publicURL, token string) string {
	if publicURL == "" || token == "" {
		return ""
	}
	return strings.TrimSuffix(publicURL, "/") + RatingPath + token
}

// WantsRatingLink reports whether the event sends the result notice to a resident who can
// reach a rating link: the case closes with a phone number, on a center with a public address.
func WantsRatingLink(e Event) bool {
	return e.PublicURL != "" && e.Case.Status == onedoor.StatusClosed && e.Before != onedoor.StatusClosed && Phone(e.Case.Data) != ""
}

// StatusURL is the resident's status page of the case numbered number under the public address
// publicURL, as the acceptance notice's QR code also leads: empty without a public address.
func StatusURL(publicURL, number string) string {
	if publicURL == "" {
		return ""
	}
	return strings.TrimSuffix(publicURL, "/") + "/status?n=" + url.QueryEscape(number)
}

// Triggered are the notices an event sends: the resident's acceptance notice at registration
// and result notice when the case closes, when the case has a phone number (the form's phone
// field); and beside each due-soon, overdue and escalation notification to staff, the same
// notice by webhook. Other notifications (supervision orders, delegations…) stay in the
// workbench.
func Triggered(e Event, names Names) []Draft {
	c := e.Case
	base := map[string]string{
		"CaseNumber": c.Number,
		"Matter":     MatterName(c.Matter),
		"Subject":    c.Subject,
		"OrgUnit":    names.Unit(c.OrgUnit),
	}
	with := func(extra map[string]string) map[string]string {
		m := make(map[string]string, len(base)+len(extra))
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	var out []Draft
	phone := Phone(c.Data)
	if e.First && phone != "" {
		out = append(out, Draft{Key: Acceptance, Channel: ChannelSMS, Recipient: phone, Vars: with(map[string]string{
			"ResidentName": c.ResidentName, "ReceivedAt": Date(c.ReceivedAt), "StatusURL": StatusURL(e.PublicURL, c.Number),
		})})
	}
	if c.Status == onedoor.StatusClosed && e.Before != onedoor.StatusClosed && phone != "" {
		out = append(out, Draft{Key: Result, Channel: ChannelSMS, Recipient: phone, Vars: with(map[string]string{
			"ResidentName": c.ResidentName, "Outcome": OutcomeName(c), "ClosedAt": Date(c.UpdatedAt),
			"StatusURL": StatusURL(e.PublicURL, c.Number), "RateURL": RateURL(e.PublicURL, e.RatingToken),
		})})
	}
	for _, n := range e.Notifications {
		var key Key
		switch n.Kind {
		case "warning":
			key = DueSoon
		case "overdue":
			key = Overdue
		case "escalated":
			key = Escalation
		default:
			continue
		}
		to, name := n.OrgUnit, names.Unit(n.OrgUnit)
		if n.Department != "" {
			to, name = n.Department, names.Department(n.Department)
		}
		vars := with(map[string]string{"Recipient": name + RoleName(n.Role), "Notice": n.Message, "Task": "", "DueAt": ""})
		for _, t := range e.Tasks {
			if n.TaskID != "" && t.ID == n.TaskID {
				vars["Task"] = t.Name
				if t.DueAt != nil {
					vars["DueAt"] = Time(*t.DueAt)
				}
			}
		}
		if vars["DueAt"] == "" && n.TaskID == "" && c.DueAt != nil {
			vars["DueAt"] = Time(*c.DueAt)
		}
		out = append(out, Draft{Key: key, Channel: ChannelWebhook, Recipient: to + "/" + n.Role, Vars: vars})
	}
	return out
}

// Phone is the resident's phone number in a case's intake data (the field phone), spaces and
// hyphens taken out; empty when there is none.
func Phone(data map[string]any) string {
	s, _ := data["phone"].(string)
	return strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s))
}

// MatterName is a matter's name in Chinese; a matter of an administrator's own procedure is
// named by its code.
func MatterName(m definitions.Matter) string {
	switch m {
	case definitions.MatterPetition:
		return "信访"
	case definitions.MatterMediation:
		return "人民调解"
	case definitions.MatterLegalAid:
		return "法律援助"
	case definitions.MatterNotarization:
		return "公证"
	case definitions.MatterConsultation:
		return "法律咨询"
	case definitions.MatterGridEvent:
		return "网格事件"
	}
	return string(m)
}

// OutcomeName says in Chinese what a closed case's result means.
func OutcomeName(c onedoor.Case) string {
	switch definitions.Kind(c.OutcomeKind) {
	case definitions.KindMediatedSuccess:
		return "调解成功"
	case definitions.KindMediatedFailure:
		return "调解未达成协议"
	case definitions.KindWithdrawn:
		return "已撤回"
	case definitions.KindTransferred:
		return "已转有关部门办理"
	case definitions.KindRefused:
		return "不予支持"
	case definitions.KindTerminated:
		return "已终止"
	case definitions.KindNotAccepted:
		return "不予受理"
	}
	return "已办结"
}

// RoleName is how a notice addresses the holders of a role.
func RoleName(role string) string {
	switch role {
	case definitions.RoleSupervisor:
		return "（督办负责人）"
	case definitions.RoleDepartment:
		return "（部门工作人员）"
	case definitions.RoleClerk:
		return "（窗口工作人员）"
	}
	return ""
}

// Date is a day as a notice writes it, in Beijing time: 2026年3月2日.
func Date(t time.Time) string { return t.In(definitions.Shanghai).Format("2006年1月2日") }

// Time is a moment as a notice writes it, in Beijing time: 2026年3月2日 17:30.
func Time(t time.Time) string { return t.In(definitions.Shanghai).Format("2006年1月2日 15:04") }

// Mask hides the middle of a phone number (138****8000), for logs and for every page that shows
// a recipient; a staff recipient (org_unit/role) is not personal and stays as it is.
func Mask(recipient string) string {
	if strings.Contains(recipient, "/") {
		return recipient
	}
	r := []rune(recipient)
	switch {
	case len(r) >= 8:
		return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
	case len(r) > 1:
		return strings.Repeat("*", len(r)-1) + string(r[len(r)-1:])
	}
	return strings.Repeat("*", len(r))
}
