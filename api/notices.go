package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/notice"
	"github.com/onedoor/onedoor/store"
)

// OutboxInput pages through the outbox.
type OutboxInput struct {
	Status  string `query:"status" enum:"pending,sent,failed" doc:"Only messages of this status."`
	Channel string `query:"channel" enum:"sms,webhook" doc:"Only messages sent by this channel."`
	Case    string `query:"case" maxLength:"64" doc:"Only the messages of this case (id or number)."`
	Cursor  string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit   int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Messages per page."`
}

// OutboxOutput is one page of the outbox, newest first.
type OutboxOutput struct {
	Body struct {
		Items []store.OutboxMessage `json:"items"`
		Next  string                `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// NoticeTemplatesOutput lists the notice templates.
type NoticeTemplatesOutput struct {
	Body struct {
		Items []store.NoticeTemplate `json:"items"`
	}
}

// NoticeTemplateInput names a notice template.
type NoticeTemplateInput struct {
	Key string `path:"key" enum:"acceptance,result,due_soon,overdue,escalation" doc:"The template's key."`
}

// NoticeTemplateOutput is one notice template.
type NoticeTemplateOutput struct {
	Body store.NoticeTemplate
}

// PutNoticeTemplateInput is an administrator's new text of a template.
type PutNoticeTemplateInput struct {
	Key  string `path:"key" enum:"acceptance,result,due_soon,overdue,escalation" doc:"The template's key."`
	Body struct {
		Body string `json:"body" maxLength:"2000" doc:"The template (Go text/template) in Chinese: only the variables its kind offers ({{.CaseNumber}}…), at most 500 characters."`
	}
}

// outboxReaders are the roles that read the outbox.
var outboxReaders = []onedoor.Role{onedoor.RoleAdmin, onedoor.RoleSupervisor}

func (s *Server) registerNotices(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-outbox",
		Method:      http.MethodGet,
		Path:        "/v1/outbox",
		Summary:     "Outbound notices (发送记录)",
		Description: "The notices sent or being sent about the cases in the caller's scope, newest first: the resident's acceptance and result SMS " +
			"and staff's due-soon, overdue and escalation webhooks, each with every attempt to send it (when, and why it failed). " +
			"Residents' phone numbers are masked. Administrators and supervisors only.",
		Tags:     []string{"Notices"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusUnprocessableEntity},
	}, s.listOutbox)

	huma.Register(api, huma.Operation{
		OperationID: "list-notice-templates",
		Method:      http.MethodGet,
		Path:        "/v1/notice-templates",
		Summary:     "Notice templates",
		Description: "Every kind of notice with its template, the variables it may use and its default text. Administrators and supervisors.",
		Tags:        []string{"Notices"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
	}, func(ctx context.Context, _ *struct{}) (*NoticeTemplatesOutput, error) {
		if err := s.requireRole(ctx, "read the notice templates", outboxReaders...); err != nil {
			return nil, err
		}
		all, err := s.Store.NoticeTemplates(ctx)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &NoticeTemplatesOutput{}
		out.Body.Items = all
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-notice-template",
		Method:      http.MethodGet,
		Path:        "/v1/notice-templates/{key}",
		Summary:     "A notice template",
		Tags:        []string{"Notices"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound},
	}, func(ctx context.Context, in *NoticeTemplateInput) (*NoticeTemplateOutput, error) {
		if err := s.requireRole(ctx, "read the notice templates", outboxReaders...); err != nil {
			return nil, err
		}
		t, err := s.Store.NoticeTemplateOf(ctx, notice.Key(in.Key))
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &NoticeTemplateOutput{Body: t}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "put-notice-template",
		Method:      http.MethodPut,
		Path:        "/v1/notice-templates/{key}",
		Summary:     "Edit a notice template",
		Description: "Replaces the text of a kind of notice. The text is a Go text/template checked at save: it must parse, use only the variables " +
			"its kind offers (a {{.Name}} it does not is refused with 422 naming it, at body.body) and render. Messages already written keep " +
			"the text of the template as it was at their first attempt. Administrators only; on a city's platform of several counties, the " +
			"city's administrator (every county shares the templates).",
		Tags:     []string{"Notices"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *PutNoticeTemplateInput) (*NoticeTemplateOutput, error) {
		if err := s.requireRole(ctx, "edit the notice templates", onedoor.RoleAdmin); err != nil {
			return nil, err
		}
		u := currentUser(ctx)
		if err := s.requireShared(ctx, u, "edit the notice templates"); err != nil {
			return nil, s.problem(ctx, err)
		}
		t, err := s.Store.SaveNoticeTemplate(ctx, notice.Key(in.Key), in.Body.Body, u.ID, time.Now())
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return &NoticeTemplateOutput{Body: t}, nil
	})
}

func (s *Server) listOutbox(ctx context.Context, in *OutboxInput) (*OutboxOutput, error) {
	if err := s.requireRole(ctx, "read the outbox", outboxReaders...); err != nil {
		return nil, err
	}
	sc, err := s.scopeOf(ctx, currentUser(ctx))
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	f := store.NoticeFilter{Scope: sc, Status: in.Status, Channel: in.Channel, Cursor: in.Cursor, Limit: in.Limit}
	if in.Case != "" {
		c, err := s.Store.Case(ctx, in.Case)
		if err == nil {
			var ok bool
			if ok, err = s.Store.InScope(ctx, sc, c.ID); err == nil && !ok {
				err = onedoor.Errorf(onedoor.ENotFound, "case %s not found", in.Case) // outside the scope a case does not exist
			}
		}
		if onedoor.ErrorCode(err) == onedoor.ENotFound {
			return nil, huma.Error422UnprocessableEntity("unknown case", &huma.ErrorDetail{Location: "query.case", Message: "no case with this id or number", Value: in.Case})
		} else if err != nil {
			return nil, s.problem(ctx, err)
		}
		f.CaseID = c.ID
	}
	page, err := s.Store.Notices(ctx, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	for i := range page.Items {
		page.Items[i].Recipient = notice.Mask(page.Items[i].Recipient)
	}
	out := &OutboxOutput{}
	out.Body.Items, out.Body.Next = page.Items, page.Next
	if out.Body.Items == nil {
		out.Body.Items = []store.OutboxMessage{}
	}
	return out, nil
}
