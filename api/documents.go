package api

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/document"
	"github.com/onedoor/onedoor/store"
)

// The documents a case can produce, by the name of their file under /v1/cases/{id}/documents/.
const (
	docNotice    = "acceptance-notice"
	docAgreement = "mediation-agreement"
	docSummary   = "summary"
)

// DocumentInput names the case whose document is asked for.
type DocumentInput struct {
	ID             string `path:"id" maxLength:"64" doc:"The case's id or number."`
	AcceptLanguage string `header:"Accept-Language" doc:"zh-CN for the reasons in Chinese."`
	// origin is scheme://host the request reached, the default public address of the status page.
	origin string
}

// Resolve keeps the address the request reached.
func (in *DocumentInput) Resolve(ctx huma.Context) []error {
	scheme := "http"
	if ctx.TLS() != nil {
		scheme = "https"
	}
	in.origin = scheme + "://" + ctx.Host()
	return nil
}

// CaseDocument says whether a document can be made for a case now, and where to get it.
type CaseDocument struct {
	Kind      string `json:"kind" enum:"acceptance-notice,mediation-agreement,summary" doc:"Which document."`
	Name      string `json:"name" doc:"The document's title, e.g. 信访事项受理告知书."`
	URL       string `json:"url" doc:"Path of the PDF under the API."`
	Available bool   `json:"available" doc:"The document can be made now."`
	Reason    string `json:"reason,omitempty" doc:"Why it cannot, when it cannot (in the client's language)."`
}

// CaseDocumentsOutput lists a case's documents.
type CaseDocumentsOutput struct {
	Body struct {
		Items []CaseDocument `json:"items"`
	}
}

func (s *Server) registerDocuments(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-case-documents",
		Method:      http.MethodGet,
		Path:        "/v1/cases/{id}/documents",
		Summary:     "The documents of a case",
		Description: "The PDFs the case can produce (acceptance notice, mediation agreement, file summary), each with whether it can be made now and why not.",
		Tags:        []string{"Documents"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *DocumentInput) (*CaseDocumentsOutput, error) {
		d, err := s.caseDocs(ctx, in)
		if err != nil {
			return nil, err
		}
		out := &CaseDocumentsOutput{}
		for _, kind := range []string{docNotice, docAgreement, docSummary} {
			item := CaseDocument{Kind: kind, Name: d.title(kind), URL: "/v1/cases/" + d.c.Number + "/documents/" + kind + ".pdf", Available: true}
			if err := d.refusal(kind); err != nil {
				item.Available = false
				_, item.Reason = translate(err.Message, chinese(in.AcceptLanguage))
			}
			out.Body.Items = append(out.Body.Items, item)
		}
		return out, nil
	})

	pdf := func(kind, summary, description string) {
		huma.Register(api, huma.Operation{
			OperationID: "case-" + kind + "-pdf",
			Method:      http.MethodGet,
			Path:        "/v1/cases/{id}/documents/" + kind + ".pdf",
			Summary:     summary,
			Description: description + " Read as the case is read: 404 outside the reader's scope, personal numbers masked for the roles that see them masked. " +
				"The file is named in Chinese (Content-Disposition with an RFC 5987 filename*).",
			Tags:     []string{"Documents"},
			Security: secured,
			Errors:   []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict},
			Responses: map[string]*huma.Response{"200": {Description: "The document as PDF.",
				Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
		}, func(ctx context.Context, in *DocumentInput) (*huma.StreamResponse, error) {
			d, err := s.caseDocs(ctx, in)
			if err != nil {
				return nil, err
			}
			if refused := d.refusal(kind); refused != nil {
				return nil, s.problem(ctx, refused)
			}
			b, err := d.render(ctx, kind)
			if err != nil {
				return nil, s.internal(ctx, fmt.Errorf("%s of case %s: %w", kind, d.c.Number, err))
			}
			name := d.title(kind) + "-" + d.c.Number + ".pdf"
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", "application/pdf")
				hc.SetHeader("Content-Disposition", attachment(kind+"-"+d.c.Number+".pdf", name))
				hc.SetHeader("Cache-Control", "no-store") // personal data: not kept by caches
				_, _ = hc.BodyWriter().Write(b)
			}}, nil
		})
	}
	pdf(docNotice, "Acceptance notice (受理告知书) as PDF",
		"The written notice that the matter is accepted, by which organ, who handles it and by when (信访工作条例 Art.23 for a petition: "+
			"信访事项受理告知书; the other matters get a 受理通知书), with a QR code to the resident's status page "+
			"(`<public URL>/status?n=<case number>`; the public URL is ONEDOOR_PUBLIC_URL, else the address the request reached). "+
			"409 while the case has not been accepted.")
	pdf(docAgreement, "Mediation agreement (人民调解协议书) as PDF",
		"The agreement of a mediation: the parties (applicant, other party), the dispute, the terms (the case data's agreement) and "+
			"the places for the parties', the mediator's signatures and the mediation committee's seal. 409 for a case without an agreement.")
	pdf(docSummary, "File summary (案件办理情况摘要) as PDF",
		"The case on paper: its facts, its timeline, its due dates with how each was counted, and its outcome.")
}

// attachment is a Content-Disposition naming the file in Chinese (RFC 6266 with RFC 5987's
// filename*), with an ASCII name for clients that know only filename.
func attachment(ascii, name string) string {
	var enc strings.Builder
	for _, b := range []byte(name) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, enc.String())
}

// caseDocs is what the documents of a case are made from, as the current user may see it.
type caseDocs struct {
	s      *Server
	c      onedoor.Case
	proc   *definitions.Procedure
	tasks  []onedoor.Task
	names  store.Names
	origin string
}

func (s *Server) caseDocs(ctx context.Context, in *DocumentInput) (*caseDocs, error) {
	d, err := s.caseDetail(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	proc, err := s.caseProcedure(ctx, d.Case)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &caseDocs{s: s, c: d.Case, proc: proc, tasks: d.Tasks, names: d.Names, origin: in.origin}, nil
}

func (d *caseDocs) title(kind string) string {
	switch kind {
	case docNotice:
		return document.NoticeTitle(d.c.Matter == definitions.MatterPetition)
	case docAgreement:
		return "人民调解协议书"
	}
	return "案件办理情况摘要"
}

// refusal says why the document cannot be made for the case now (EConflict), or nil.
func (d *caseDocs) refusal(kind string) *onedoor.Error {
	switch kind {
	case docNotice:
		if _, ok := d.accepted(); !ok && d.c.Status == onedoor.StatusClosed {
			return onedoor.Errorf(onedoor.EConflict, "case %s was closed without being accepted: there is no acceptance notice", d.c.Number)
		} else if !ok {
			return onedoor.Errorf(onedoor.EConflict, "case %s has not been accepted: the acceptance notice is made once it is", d.c.Number)
		}
	case docAgreement:
		if d.agreement() == "" {
			return onedoor.Errorf(onedoor.EConflict, "case %s has no mediation agreement: its agreement is not recorded", d.c.Number)
		}
	}
	return nil
}

// accepted is the task whose outcome accepted the matter (kind accepted), or the task that
// handled it on the spot (首访首办: accepted and handled at once). A procedure without an outcome
// of kind accepted takes a matter on when it registers it (受办一体): then the zero task.
func (d *caseDocs) accepted() (onedoor.Task, bool) {
	has := false
	for _, st := range d.proc.Steps {
		for _, o := range st.Outcomes {
			has = has || o.Kind == definitions.KindAccepted
		}
	}
	if !has {
		return onedoor.Task{}, true
	}
	for _, t := range d.tasks {
		if t.Status != onedoor.TaskDone || t.ClosedAt == nil {
			continue
		}
		if o := d.outcome(t.Step, t.Outcome); o.Kind == definitions.KindAccepted || o.OnSpot {
			return t, true
		}
	}
	return onedoor.Task{}, false
}

// outcome is the outcome of the step with the id, or the zero outcome.
func (d *caseDocs) outcome(step, id string) definitions.Outcome {
	if st, ok := d.proc.Step(step); ok {
		for _, o := range st.Outcomes {
			if o.ID == id {
				return o
			}
		}
	}
	return definitions.Outcome{}
}

// outcomeName is the name of an outcome id at any step, or the id.
func (d *caseDocs) outcomeName(id string) string {
	for _, st := range d.proc.Steps {
		for _, o := range st.Outcomes {
			if o.ID == id {
				return o.Name
			}
		}
	}
	if k, ok := kindZH[id]; ok {
		return k
	}
	return id
}

func (d *caseDocs) agreement() string {
	s, _ := d.c.Data["agreement"].(string)
	return strings.TrimSpace(s)
}

func (d *caseDocs) text(key string) string {
	switch v := d.c.Data[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// unitName is the org unit's name, or its code.
func (d *caseDocs) unitName(code string) string {
	if n, ok := d.names.Units[code]; ok && n.Name != "" {
		return n.Name
	}
	return code
}

// organ is the name an org unit signs with: its center (综治中心) unless its name already says
// what it is.
func (d *caseDocs) organ(code string) string {
	n := d.unitName(code)
	for _, suffix := range []string{"中心", "政府", "委员会", "局", "院"} {
		if strings.HasSuffix(n, suffix) {
			return n
		}
	}
	return n + "综治中心"
}

// holder names who holds the case now: the departments it was diverted to, else its org unit.
func (d *caseDocs) holder() string {
	var depts []string
	for _, t := range d.tasks {
		if t.Status == onedoor.TaskOpen && t.Department != "" {
			n := t.Department
			if dn, ok := d.names.Departments[t.Department]; ok && dn.Name != "" {
				n = dn.Name
			}
			if !slices.Contains(depts, n) {
				depts = append(depts, n)
			}
		}
	}
	if len(depts) > 0 {
		return strings.Join(depts, "、")
	}
	return d.organ(d.c.OrgUnit)
}

func (d *caseDocs) render(ctx context.Context, kind string) ([]byte, error) {
	switch kind {
	case docNotice:
		return document.AcceptanceNotice(d.notice())
	case docAgreement:
		return document.MediationAgreement(d.mediation())
	}
	sum, err := d.summary(ctx)
	if err != nil {
		return nil, err
	}
	return document.CaseSummary(sum)
}

func (d *caseDocs) notice() document.Notice {
	t, _ := d.accepted()
	acceptedAt, organ := d.c.ReceivedAt, d.organ(d.c.ReceivedBy)
	if t.ClosedAt != nil {
		acceptedAt, organ = *t.ClosedAt, d.organ(t.OrgUnit)
	}
	n := document.Notice{
		Number: d.c.Number, Petition: d.c.Matter == definitions.MatterPetition, Matter: d.proc.Name,
		Resident: d.c.ResidentName, Subject: d.c.Subject, Channel: channelZH[d.c.Channel], ReceivedAt: d.c.ReceivedAt,
		AcceptedAt: acceptedAt, Organ: organ, Handler: d.holder(), IssuedAt: acceptedAt,
		StatusURL: strings.TrimSuffix(cmp.Or(d.s.PublicURL, d.origin), "/") + "/status?n=" + url.QueryEscape(d.c.Number),
	}
	if d.c.Status == onedoor.StatusClosed {
		n.Handler = ""
	}
	for _, c := range d.c.Clocks {
		if c.Running() {
			n.Limits = append(n.Limits, document.Limit{Name: c.Name, Period: periodZH(c.Period), Basis: c.Basis, Due: c.DueAt})
		}
	}
	if len(n.Limits) == 0 {
		for _, t := range d.tasks {
			if t.Status == onedoor.TaskOpen && t.DueAt != nil && t.Kind == onedoor.TaskStep {
				l := document.Limit{Name: "“" + t.Name + "”环节的办理期限", Basis: t.Basis, Due: *t.DueAt}
				if t.Period != nil {
					l.Period = periodZH(*t.Period)
				}
				n.Limits = append(n.Limits, l)
			}
		}
	}
	return n
}

func (d *caseDocs) mediation() document.Agreement {
	a := document.Agreement{
		Number: d.c.Number, Applicant: cmp.Or(d.text("applicant"), d.c.ResidentName), Contact: d.text("phone"),
		Respondent: d.text("respondent"), Facts: cmp.Or(d.text("facts"), d.c.Subject), Terms: d.agreement(),
		Kind: d.fieldValue("dispute_type"), AgreedAt: d.c.UpdatedAt,
	}
	unit := d.c.OrgUnit
	// The agreement was reached when the mediation ended in success, at the unit that mediated.
	for _, t := range d.tasks {
		if t.Status == onedoor.TaskDone && t.ClosedAt != nil && d.outcome(t.Step, t.Outcome).Kind == definitions.KindMediatedSuccess {
			a.AgreedAt, unit = *t.ClosedAt, t.OrgUnit
		}
	}
	name := d.unitName(unit)
	for _, suffix := range []string{"综治中心", "中心"} {
		name = strings.TrimSuffix(name, suffix)
	}
	a.Committee = name + "人民调解委员会"
	return a
}

// fieldValue is a data value as its form field shows it: an option's label, yes or no.
func (d *caseDocs) fieldValue(key string) string {
	v, ok := d.c.Data[key]
	if !ok || v == nil {
		return ""
	}
	for _, f := range d.proc.Form {
		if f.Name != key {
			continue
		}
		for _, o := range f.Options {
			if o.Value == fmt.Sprint(v) {
				return o.Label
			}
		}
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

func (d *caseDocs) summary(ctx context.Context) (document.Summary, error) {
	c := d.c
	sum := document.Summary{
		Number: c.Number, Organ: d.holder(), Matter: cmp.Or(matterZH[c.Matter], d.proc.Name),
		Procedure: fmt.Sprintf("%s（第%d版）", d.proc.Name, c.ProcedureVersion), Subject: c.Subject, Resident: c.ResidentName,
		Channel: channelZH[c.Channel], ReceivedAt: c.ReceivedAt, ReceivedBy: d.unitName(c.ReceivedBy),
		Status: statusZH[c.Status], Level: levelZH[c.Level], PrintedAt: time.Now(), PrintedBy: currentUser(ctx).ID,
	}
	if st, ok := d.proc.Step(c.Step); ok && c.Status == onedoor.StatusOpen {
		sum.Step = st.Name
	}
	if c.Outcome != "" {
		sum.Outcome = d.outcomeName(c.Outcome)
		if k := kindZH[c.OutcomeKind]; k != "" && k != sum.Outcome {
			sum.Outcome += "（" + k + "）"
		}
	}
	for _, t := range d.tasks {
		if t.Status == onedoor.TaskDone && t.Result != "" {
			sum.Result = t.Result // the last result recorded
		}
	}
	for _, f := range d.proc.Form {
		if v := d.fieldValue(f.Name); v != "" {
			sum.Data = append(sum.Data, document.Field{Label: f.Label, Value: v})
		}
	}
	entries, err := d.s.Store.Audit(ctx, c.ID)
	if err != nil {
		return sum, err
	}
	for _, e := range entries {
		why := e.Reason
		if e.Action == "complete" {
			why = d.outcomeName(e.Reason)
		}
		sum.Timeline = append(sum.Timeline, document.Entry{At: e.At, Actor: e.Actor, Action: cmp.Or(actionZH[e.Action], e.Action), Reason: why})
	}
	for _, cl := range c.Clocks {
		dl := document.Deadline{Name: cl.Name, Period: periodZH(cl.Period), Basis: cl.Basis, Due: cl.DueAt, State: "计时中"}
		switch {
		case cl.Overdue:
			dl.State = "逾期"
		case cl.Suspended:
			dl.State = "中止计时"
		case !cl.Running():
			dl.State = "按期完成"
		}
		if cl.Explanation != nil {
			dl.Explanation = cl.Explanation.SummaryZH
		}
		sum.Deadlines = append(sum.Deadlines, dl)
	}
	for _, t := range d.tasks {
		if t.DueAt == nil || t.Status == onedoor.TaskCancelled {
			continue
		}
		who := d.unitName(t.OrgUnit)
		if dn, ok := d.names.Departments[t.Department]; ok && dn.Name != "" {
			who = dn.Name
		}
		dl := document.Deadline{Name: t.Name + "（" + who + "）", Basis: t.Basis, Due: *t.DueAt}
		if t.Period != nil {
			dl.Period = periodZH(*t.Period)
		}
		switch {
		case t.Status == onedoor.TaskDone && t.ClosedAt != nil && t.ClosedAt.After(*t.DueAt):
			dl.State = "逾期完成"
		case t.Status == onedoor.TaskDone:
			dl.State = "按期完成"
		case t.Overdue:
			dl.State = "逾期"
		case t.Suspended:
			dl.State = "中止计时"
		default:
			dl.State = "办理中"
		}
		if t.Explanation != nil {
			dl.Explanation = t.Explanation.SummaryZH
		}
		sum.Deadlines = append(sum.Deadlines, dl)
	}
	return sum, nil
}

func periodZH(p definitions.Period) string {
	switch p.Unit {
	case definitions.UnitWorkdays:
		return fmt.Sprintf("%d个工作日", p.Amount)
	case definitions.UnitHours:
		return fmt.Sprintf("%d小时", p.Amount)
	case definitions.UnitMinutes:
		return fmt.Sprintf("%d分钟", p.Amount)
	}
	return fmt.Sprintf("%d日", p.Amount)
}

// The words of the papers, as the workbench shows them (web/src/case/messages.ts).
var (
	channelZH = map[onedoor.Channel]string{onedoor.ChannelVisit: "来访", onedoor.ChannelLetter: "来信", onedoor.ChannelPhone: "来电",
		onedoor.ChannelOnline: "网上", onedoor.ChannelGrid: "网格上报"}
	matterZH = map[definitions.Matter]string{definitions.MatterPetition: "信访", definitions.MatterMediation: "人民调解",
		definitions.MatterLegalAid: "法律援助", definitions.MatterNotarization: "公证", definitions.MatterConsultation: "法律咨询",
		definitions.MatterGridEvent: "网格事件"}
	statusZH = map[onedoor.Status]string{onedoor.StatusOpen: "办理中", onedoor.StatusClosed: "已办结"}
	levelZH  = map[definitions.Level]string{definitions.LevelGroup: "社组", definitions.LevelVillage: "嘎查村/社区",
		definitions.LevelTown: "苏木镇", definitions.LevelBanner: "旗综治中心", definitions.LevelGovernment: "旗委政府"}
	kindZH = map[string]string{"resolved": "已解决", "mediated_success": "调解成功", "mediated_failure": "调解不成", "withdrawn": "撤回申请",
		"transferred": "已转送", "refused": "不予受理", "terminated": "终止", "not_accepted": "不予受理（不符合条件）"}
	actionZH = map[string]string{
		"register": "登记", "complete": "办理", "escalate": "上报", "hand_down": "交办", "return": "退回上级", "transfer": "转送",
		"divert": "分流", "report": "报告", "acknowledge": "报到", "suspend": "中止计时", "resume": "恢复计时", "extend": "延期",
		"supervise": "督办", "reply": "答复督办", "note": "备注", "close": "办结", "evaluate": "评价", "request_review": "申请复查",
		"withdraw": "撤回", "send_back": "退回", "delegate": "委派", "delegate_result": "委派结果", "recall": "收回委派", "reassign": "转办", "copy": "抄送",
		"claim": "认领", "release": "释放", "overdue": "逾期", "warn": "临期提醒", "auto_escalate": "自动上报", "urge": "催办",
		"deadline_warning": "临期提醒", "deadline_overdue": "逾期", "supervision_overdue": "督办逾期未答复", "rule_failed": "规则执行失败",
		"not_accepted": "不予受理", "link": "关联案件",
	}
)
