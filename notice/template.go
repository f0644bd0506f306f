// Package notice holds OneDoor's outbound notices: the kinds of notice and the variables each
// offers its template, the default Chinese texts, the check an edited template passes before it
// is saved, which case events send which notices, and the adapters that deliver them (a generic
// HTTP SMS gateway, a signed webhook, and the log for development). It imports neither
// Temporal nor pgx: the outbox lives in package store, the sending in package activities.
package notice

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/onedoor/onedoor"
)

// Key names a kind of notice and its template.
type Key string

// The kinds of notice.
const (
	Acceptance Key = "acceptance" // 受理通知: to the resident, when the case is registered
	Result     Key = "result"     // 办结通知: to the resident, when the case closes
	DueSoon    Key = "due_soon"   // 临期提醒: to staff, a task is due soon
	Overdue    Key = "overdue"    // 逾期提醒: to staff, a task or a statutory period is overdue
	Escalation Key = "escalation" // 上报通知: to staff, the case moved up the chain
)

// Channels a notice goes by.
const (
	ChannelSMS     = "sms"     // to the resident's phone
	ChannelWebhook = "webhook" // to staff, through the center's messaging system
)

// Kind is a kind of notice: its name, who receives it and by which channel, the variables its
// template may use, with what each holds, and its default text.
type Kind struct {
	Key     Key               `json:"key" doc:"The template's key." enum:"acceptance,result,due_soon,overdue,escalation"`
	Name    string            `json:"name" doc:"What the notice is, in Chinese."`
	Channel string            `json:"channel" doc:"How it is sent: sms to the resident's phone (the case's phone field), webhook to staff." enum:"sms,webhook"`
	Vars    map[string]string `json:"variables" doc:"The variables the template may use ({{.Name}}), with what each holds."`
	Default string            `json:"default_body" doc:"The text the notice has until an administrator edits it."`
}

var common = map[string]string{
	"CaseNumber": "案件编号",
	"Matter":     "事项类别（如 信访、人民调解）",
	"Subject":    "事项标题",
	"OrgUnit":    "现办理单位",
}

func vars(extra map[string]string) map[string]string {
	m := maps.Clone(common)
	maps.Copy(m, extra)
	return m
}

// statusURL describes the resident's status page variable: use it as {{if .StatusURL}}…{{end}}.
const statusURL = "进度查询网址（设置了 ONEDOOR_PUBLIC_URL 时为 <公网地址>/status?n=<案件编号>，否则为空）"

// rateURL describes the one-time rating link variable of the result notice.
const rateURL = "一次性评价链接（设置了 ONEDOOR_PUBLIC_URL 时为 <公网地址>/rate/<口令>，30天内有效，只能评价一次；否则为空）"

var staff = map[string]string{
	"Recipient": "接收的单位或部门及岗位",
	"Notice":    "系统提醒原文（含环节与时间）",
	"Task":      "相关环节名称（无则为空）",
	"DueAt":     "相关环节或案件的到期时间（北京时间；无则为空）",
}

// Kinds are every kind of notice, in the order an administrator sees them.
var Kinds = []Kind{
	{Key: Acceptance, Name: "受理通知", Channel: ChannelSMS,
		Vars: vars(map[string]string{"ResidentName": "群众姓名", "ReceivedAt": "收到日期（北京时间）", "StatusURL": statusURL}),
		Default: "【{{.OrgUnit}}】{{.ResidentName}}您好，您反映的{{.Matter}}事项「{{.Subject}}」已登记受理，案件编号{{.CaseNumber}}。" +
			"可凭编号和登记电话后四位查询办理进度{{if .StatusURL}}：{{.StatusURL}}{{end}}。"},
	{Key: Result, Name: "办结通知", Channel: ChannelSMS,
		Vars: vars(map[string]string{"ResidentName": "群众姓名", "Outcome": "办理结果（如 已办结、调解成功）", "ClosedAt": "办结日期（北京时间）", "StatusURL": statusURL, "RateURL": rateURL}),
		Default: "【{{.OrgUnit}}】{{.ResidentName}}您好，您的{{.Matter}}事项{{.CaseNumber}}已于{{.ClosedAt}}办结，结果：{{.Outcome}}。" +
			"如有异议可依法申请复查，欢迎对办理情况作出评价{{if .RateURL}}：{{.RateURL}}{{end}}。"},
	{Key: DueSoon, Name: "临期提醒", Channel: ChannelWebhook, Vars: vars(staff),
		Default: "【临期提醒】{{.Recipient}}：{{.Matter}}案件{{.CaseNumber}}「{{.Subject}}」{{if .Task}}环节「{{.Task}}」{{end}}即将到期{{if .DueAt}}（{{.DueAt}}）{{end}}，请及时办理。"},
	{Key: Overdue, Name: "逾期提醒", Channel: ChannelWebhook, Vars: vars(staff),
		Default: "【逾期提醒】{{.Recipient}}：{{.Notice}}。请尽快办理并说明原因。"},
	{Key: Escalation, Name: "上报通知", Channel: ChannelWebhook, Vars: vars(staff),
		Default: "【上报通知】{{.Recipient}}：{{.Matter}}案件{{.CaseNumber}}「{{.Subject}}」已上报至{{.OrgUnit}}，请关注。"},
}

// KindOf is the kind of notice with the key.
func KindOf(key Key) (Kind, bool) {
	for _, k := range Kinds {
		if k.Key == key {
			return k, true
		}
	}
	return Kind{}, false
}

// MaxBody is the longest template an administrator may save, in characters: an SMS gateway
// splits a long text into several messages, each paid for.
const MaxBody = 500

// Check parses body as the template of the kind key and refuses (onedoor.EInvalid, located at
// body.body) a text that does not parse, uses a variable the kind does not offer (naming it),
// or fails to render with sample values.
func Check(key Key, body string) error {
	k, ok := KindOf(key)
	if !ok {
		return onedoor.Errorf(onedoor.ENotFound, "no notice template %s", key)
	}
	invalid := func(msg string, value any) error {
		return &onedoor.Error{Code: onedoor.EInvalid, Message: msg,
			Fields: []onedoor.FieldError{{Path: "body.body", Message: msg, Value: value}}}
	}
	if strings.TrimSpace(body) == "" {
		return invalid("the template is empty", body)
	}
	if n := len([]rune(body)); n > MaxBody {
		return invalid(fmt.Sprintf("the template is %d characters long; at most %d", n, MaxBody), n)
	}
	t, err := template.New(string(key)).Option("missingkey=error").Parse(body)
	if err != nil {
		return invalid("the template does not parse: "+err.Error(), body)
	}
	for _, tt := range t.Templates() { // the text and any {{define}} in it
		for _, name := range fields(tt.Tree) {
			if _, ok := k.Vars[name]; !ok {
				return invalid(fmt.Sprintf("unknown variable {{.%s}}: a %s template may use %s", name, k.Name, strings.Join(VarNames(k), ", ")), name)
			}
		}
	}
	sample := map[string]string{}
	for v := range k.Vars {
		sample[v] = "x"
	}
	if _, err := render(t, sample); err != nil {
		return invalid("the template does not render: "+err.Error(), body)
	}
	return nil
}

// VarNames are the kind's variables, sorted, as a template writes them.
func VarNames(k Kind) []string {
	names := slices.Sorted(maps.Keys(k.Vars))
	for i, n := range names {
		names[i] = "{{." + n + "}}"
	}
	return names
}

// fields are the names of the variables the template reads: the first name of every field
// chain (.A of .A.B), in any action, condition or range, in one template of a set.
func fields(tree *parse.Tree) []string {
	var out []string
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			out = append(out, n.Ident[0])
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	if tree != nil {
		walk(tree.Root)
	}
	return out
}

// Render fills the template body with the variables.
func Render(key Key, body string, vars map[string]string) (string, error) {
	t, err := template.New(string(key)).Option("missingkey=error").Parse(body)
	if err != nil {
		return "", err
	}
	return render(t, vars)
}

func render(t *template.Template, vars map[string]string) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, vars); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}
