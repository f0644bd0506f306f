package api

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/text/language"
)

// ErrorModel is OneDoor's problem+json (RFC 9457): huma's error model with a stable,
// machine-readable code beside each message, and the messages in the language the client asks
// for with Accept-Language (Chinese or English; English when the header is absent).
type ErrorModel struct {
	Type     string         `json:"type,omitempty" doc:"A URI reference for the problem type."`
	Title    string         `json:"title,omitempty" doc:"A short summary of the problem type, in the request's language."`
	Status   int            `json:"status,omitempty" doc:"The HTTP status code."`
	Detail   string         `json:"detail,omitempty" doc:"What went wrong, in the request's language."`
	Code     string         `json:"code,omitempty" doc:"What went wrong, as a stable machine-readable code (e.g. action.not_holder); the same in every language."`
	Instance string         `json:"instance,omitempty" doc:"A URI reference for this occurrence."`
	Errors   []*ErrorDetail `json:"errors,omitempty" doc:"Each bad field or value, located."`
}

// ErrorDetail is one located problem of a request.
type ErrorDetail struct {
	Code     string `json:"code,omitempty" doc:"A stable machine-readable code of the message."`
	Message  string `json:"message,omitempty" doc:"What is wrong, in the request's language."`
	Location string `json:"location,omitempty" doc:"Where: e.g. body.data.phone, query.from, header.Idempotency-Key."`
	Value    any    `json:"value,omitempty" doc:"The value found there."`
}

// Error implements error.
func (p *ErrorModel) Error() string { return p.Detail }

// GetStatus implements huma.StatusError.
func (p *ErrorModel) GetStatus() int { return p.Status }

// ContentType implements huma.ContentTypeFilter.
func (p *ErrorModel) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// newProblem is huma.NewError for OneDoor: every error huma writes is a *ErrorModel.
func newProblem(status int, msg string, errs ...error) huma.StatusError {
	p := &ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d ErrorDetail
		if ed, ok := err.(huma.ErrorDetailer); ok {
			hd := ed.ErrorDetail()
			d = ErrorDetail{Message: hd.Message, Location: hd.Location, Value: hd.Value}
		} else {
			d.Message = err.Error()
		}
		p.Errors = append(p.Errors, &d)
	}
	return p
}

func init() {
	huma.NewError = newProblem
}

// languages are the languages of the messages: English, as the code writes them, and Chinese.
var languages = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// chinese reports whether an Accept-Language header prefers Chinese to English.
func chinese(acceptLanguage string) bool {
	if acceptLanguage == "" {
		return false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return false
	}
	_, i, _ := languages.Match(tags...)
	return i == 1
}

// localizeErrors is a huma transformer: it gives each message of a problem its code and, when
// the request prefers Chinese, its Chinese text.
func localizeErrors(ctx huma.Context, _ string, v any) (any, error) {
	p, ok := v.(*ErrorModel)
	if !ok {
		return v, nil
	}
	return localize(p, chinese(ctx.Header("Accept-Language"))), nil
}

// localize is the problem with each message's code and, when zh, its Chinese text.
func localize(p *ErrorModel, zh bool) *ErrorModel {
	out := *p
	out.Code, out.Detail = translate(p.Detail, zh)
	if out.Code == "" {
		out.Code = statusCodes[p.Status]
	}
	if zh {
		out.Title = cmpOr(statusTitlesZH[p.Status], p.Title)
	}
	out.Errors = make([]*ErrorDetail, len(p.Errors))
	for i, d := range p.Errors {
		c := *d
		c.Code, c.Message = translate(d.Message, zh)
		out.Errors[i] = &c
	}
	if field, ok := fields[out.Code]; ok && len(out.Errors) == 0 && p.Status == http.StatusUnprocessableEntity {
		out.Errors = []*ErrorDetail{{Code: out.Code, Message: out.Detail, Location: field}}
	}
	return &out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// statusCodes are the codes of messages that have none of their own.
var statusCodes = map[int]string{
	http.StatusBadRequest: "request.bad", http.StatusUnauthorized: "auth.required", http.StatusForbidden: "forbidden",
	http.StatusNotFound: "not_found", http.StatusConflict: "conflict", http.StatusRequestTimeout: "request.timeout",
	http.StatusRequestEntityTooLarge: "request.too_large", http.StatusUnprocessableEntity: "invalid",
	http.StatusTooManyRequests: "rate_limited", http.StatusInternalServerError: "internal",
	http.StatusServiceUnavailable: "unavailable",
}

var statusTitlesZH = map[int]string{
	http.StatusBadRequest: "请求有误", http.StatusUnauthorized: "未登录或凭证无效", http.StatusForbidden: "无权操作",
	http.StatusNotFound: "未找到", http.StatusMethodNotAllowed: "不支持的请求方法", http.StatusRequestTimeout: "请求超时",
	http.StatusConflict: "与案件当前状态不符", http.StatusRequestEntityTooLarge: "请求过大",
	http.StatusUnprocessableEntity: "输入有误", http.StatusTooManyRequests: "请求过于频繁",
	http.StatusInternalServerError: "系统内部错误", http.StatusServiceUnavailable: "服务暂不可用",
	http.StatusNotAcceptable: "无法按要求的格式答复",
}

// pattern is a message of the catalog made ready to match: the English format as a regular
// expression whose groups are its arguments.
type pattern struct {
	message
	re *regexp.Regexp
}

var verbRe = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[sdvqwfX]`)

func compile(m message) pattern {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range verbRe.FindAllStringIndex(m.en, -1) {
		b.WriteString(regexp.QuoteMeta(m.en[last:loc[0]]))
		if strings.HasSuffix(m.en[loc[0]:loc[1]], "q") {
			b.WriteString(`"(.*?)"`)
		} else {
			b.WriteString(`(.*?)`)
		}
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(m.en[last:]))
	b.WriteString("$")
	return pattern{m, regexp.MustCompile(b.String())}
}

// patterns are the catalog's messages, those with the most literal text first, so that a
// general message never takes a more specific one's text.
var patterns = func() []pattern {
	out := make([]pattern, len(catalog))
	for i, m := range catalog {
		out[i] = compile(m)
	}
	slices.SortStableFunc(out, func(a, b pattern) int { return literal(b.en) - literal(a.en) })
	return out
}()

// literal is how much text of a format is not its verbs.
func literal(format string) int { return len(verbRe.ReplaceAllString(format, "")) }

// translate finds the message of the catalog that msg was written from and returns its code and
// the message in Chinese when zh, else as it is. A message of several sentences joined by "; "
// (the refusals of several rules) is translated sentence by sentence. A message the catalog does
// not know keeps its text and has no code.
func translate(msg string, zh bool) (code, text string) {
	if msg == "" {
		return "", ""
	}
	if code, text, ok := translateOne(msg, zh); ok {
		return code, text
	}
	parts := strings.Split(msg, "; ")
	if len(parts) == 1 {
		return "", msg
	}
	var codes []string
	for i, part := range parts {
		c, t, ok := translateOne(part, zh)
		if !ok {
			continue
		}
		parts[i] = t
		codes = append(codes, c)
	}
	sep := "; "
	if zh {
		sep = "；"
	}
	return strings.Join(codes, ","), strings.Join(parts, sep)
}

func translateOne(msg string, zh bool) (code, text string, ok bool) {
	for _, p := range patterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		if !zh {
			return p.id, msg, true
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			// An argument that is itself a message of the catalog (a rule's refusal quoted in
			// another) is translated too.
			if _, t, ok := translateOne(a, zh); ok && a != msg {
				a = t
			}
			args[i] = a
		}
		return p.id, fmt.Sprintf(p.zh, args...), true
	}
	return "", msg, false
}
