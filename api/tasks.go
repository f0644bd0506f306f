package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/store"
)

// QueueInput filters a clerk's queue.
type QueueInput struct {
	Matter    string `query:"matter" pattern:"^[a-z][a-z0-9_-]{0,62}$" maxLength:"63" example:"petition" doc:"Only tasks of cases of this matter: a built-in one (petition, mediation, legal_aid, notarization, consultation, grid_event) or one of an administrator's procedures."`
	Status    string `query:"status" enum:"open,suspended,claimed,unclaimed,delegated" default:"open" doc:"open: every open task; suspended: those whose deadline is suspended; claimed / unclaimed: those someone has or nobody has claimed; delegated: those delegated to the caller (委派给我的)."`
	DueBefore string `query:"due_before" format:"date-time" doc:"Only tasks due before this instant (RFC 3339)."`
	Overdue   string `query:"overdue" enum:"true,false" doc:"Only overdue (true) or not overdue (false) tasks."`
	Cursor    string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Tasks per page."`
}

// QueueOutput is one page of a queue.
type QueueOutput struct {
	Body struct {
		Items []store.QueueItem `json:"items" doc:"Open tasks, earliest due first; tasks without a due date last."`
		Next  string            `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// DoneInput pages through the tasks the caller completed.
type DoneInput struct {
	Cursor string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Tasks per page."`
}

// DoneOutput is one page of the tasks the caller completed.
type DoneOutput struct {
	Body struct {
		Items []store.DoneItem `json:"items" doc:"Tasks the caller completed, most recently completed first, each with its case as it stands now."`
		Next  string           `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// CopiedInput pages through the cases copied to the caller.
type CopiedInput struct {
	Unread bool   `query:"unread" doc:"Only the cases the caller has not marked read."`
	Cursor string `query:"cursor" maxLength:"500" doc:"The next cursor of the previous page."`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Cases per page."`
}

// CopiedOutput is one page of the cases copied to the caller.
type CopiedOutput struct {
	Body struct {
		Items []store.CopiedItem `json:"items" doc:"Cases copied to the caller or to the org unit of one of their posts, most recently copied first, each with where it stands now."`
		Next  string             `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page."`
	}
}

// CopyReadInput names a case copied to the caller.
type CopyReadInput struct {
	Case string `path:"case" maxLength:"64" doc:"The case's id or number."`
}

// CopyReadOutput says when the caller read a copied case.
type CopyReadOutput struct {
	Body struct {
		CaseID string    `json:"case_id"`
		ReadAt time.Time `json:"read_at" doc:"When the caller first marked it read."`
	}
}

// TaskRefInput names a task of a case.
type TaskRefInput struct {
	Case string `path:"case" maxLength:"64" doc:"The case's id or number."`
	Task string `path:"task" maxLength:"16" doc:"The task's id within the case (t1, t2, …)."`
}

// ClaimOutput is who holds a task after a claim or release.
type ClaimOutput struct {
	Body struct {
		CaseID    string `json:"case_id"`
		Task      string `json:"task"`
		ClaimedBy string `json:"claimed_by,omitempty" doc:"Who holds the task now; absent once released."`
	}
}

func (s *Server) registerTasks(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-my-tasks",
		Method:      http.MethodGet,
		Path:        "/v1/tasks",
		Summary:     "My queue",
		Description: "The open tasks of the caller's org unit, of the caller's department, those the caller claimed or was reassigned (转办), and those delegated to the caller (委派), " +
			"earliest due first. Pages are keyset-paginated: pass `next` as `cursor`; a page stays stable while cases are added.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, s.queue)

	huma.Register(api, huma.Operation{
		OperationID: "list-my-done-tasks",
		Method:      http.MethodGet,
		Path:        "/v1/tasks/done",
		Summary:     "Tasks I completed (已办)",
		Description: "The tasks the caller completed, most recently completed first, with where each case stands now. " +
			"Keyset-paginated: pass `next` as `cursor`. The cases the caller registered (我发起的) are `GET /v1/cases?mine=true`.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *DoneInput) (*DoneOutput, error) {
		page, err := s.Store.DoneTasks(ctx, currentUser(ctx).ID, in.Cursor, in.Limit)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &DoneOutput{}
		out.Body.Items, out.Body.Next = page.Items, page.Next
		if out.Body.Items == nil {
			out.Body.Items = []store.DoneItem{}
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-copied-to-me",
		Method:      http.MethodGet,
		Path:        "/v1/tasks/copied",
		Summary:     "Cases copied to me (抄送我的)",
		Description: "The cases copied to the caller for information (抄送), or to the org unit of one of their posts, most recently " +
			"copied first, each once, with where it stands now and whether the caller has read it. The caller may read these " +
			"cases and their timelines, not act on them. Keyset-paginated: pass `next` as `cursor`.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, func(ctx context.Context, in *CopiedInput) (*CopiedOutput, error) {
		u := currentUser(ctx)
		f := store.CopiedFilter{UserID: u.ID, Unread: in.Unread, Cursor: in.Cursor, Limit: in.Limit}
		for _, p := range allPostsOf(ctx) {
			if p.OrgUnit != "" {
				f.Units = append(f.Units, p.OrgUnit)
			}
		}
		page, err := s.Store.CopiedCases(ctx, f)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &CopiedOutput{}
		out.Body.Items, out.Body.Next = page.Items, page.Next
		if out.Body.Items == nil {
			out.Body.Items = []store.CopiedItem{}
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "mark-copy-read",
		Method:      http.MethodPost,
		Path:        "/v1/tasks/copied/{case}/read",
		Summary:     "Mark a copied case read",
		Description: "Marks a case copied to the caller (抄送) as read; marking it again keeps the first time. A case not copied to " +
			"the caller is 404.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *CopyReadInput) (*CopyReadOutput, error) {
		c, err := s.Store.CaseSoon(ctx, in.Case, mirrorWait)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		copied, err := s.copiedTo(ctx, c.ID)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		if !copied {
			s.refused(ctx, "mark read of a case not copied to the user: "+c.ID)
			return nil, s.problem(ctx, onedoor.Errorf(onedoor.ENotFound, "case %s not found", in.Case))
		}
		at, err := s.Store.MarkCopyRead(ctx, currentUser(ctx).ID, c.ID, time.Now())
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &CopyReadOutput{}
		out.Body.CaseID, out.Body.ReadAt = c.ID, at
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "claim-task",
		Method:      http.MethodPost,
		Path:        "/v1/tasks/{case}/{task}/claim",
		Summary:     "Claim a task",
		Description: "Takes an open task of the caller's queue (held by the caller's org unit or department) so that colleagues see it is being handled. " +
			"A task claimed by someone else, a finished task and another unit's or department's task are a 409.",
		Tags:     []string{"Queues"},
		Security: secured,
		Errors:   []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, s.claim)

	huma.Register(api, huma.Operation{
		OperationID: "release-task",
		Method:      http.MethodPost,
		Path:        "/v1/tasks/{case}/{task}/release",
		Summary:     "Release a claimed task",
		Description: "Gives a claimed task back to its queue. Only its claimant releases it, or a supervisor or administrator; releasing an unclaimed task changes nothing.",
		Tags:        []string{"Queues"},
		Security:    secured,
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, func(ctx context.Context, in *TaskRefInput) (*ClaimOutput, error) {
		c, err := s.caseToAct(ctx, in.Case)
		if err != nil {
			return nil, err
		}
		u := currentUser(ctx)
		anyone := u.Role == onedoor.RoleSupervisor || u.Role == onedoor.RoleAdmin
		if err := s.Store.Release(ctx, c.ID, in.Task, u.ID, anyone); err != nil {
			return nil, s.problem(ctx, err)
		}
		out := &ClaimOutput{}
		out.Body.CaseID, out.Body.Task = c.ID, in.Task
		return out, nil
	})
}

// claim takes an open task of the caller's queue.
func (s *Server) claim(ctx context.Context, in *TaskRefInput) (*ClaimOutput, error) {
	c, err := s.caseToAct(ctx, in.Case)
	if err != nil {
		return nil, err
	}
	if err := s.claimable(ctx, c, in.Task); err != nil {
		return nil, err
	}
	u := currentUser(ctx) // in the post the task is theirs in
	if err := s.Store.Claim(ctx, c.ID, in.Task, u, time.Now()); err != nil {
		return nil, s.problem(ctx, err)
	}
	out := &ClaimOutput{}
	out.Body.CaseID, out.Body.Task, out.Body.ClaimedBy = c.ID, in.Task, u.ID
	return out, nil
}

// claimable refuses (409, logged) a claim of a task outside the caller's queue: a case in the
// caller's scope may have moved on to another unit (escalated to the banner) or have tasks of
// other departments, and those are not the caller's to take. A task that does not exist is left
// to the store's not-found.
func (s *Server) claimable(ctx context.Context, c onedoor.Case, taskID string) error {
	tasks, err := s.Store.Tasks(ctx, c.ID)
	if err != nil {
		return s.problem(ctx, err)
	}
	u := currentUser(ctx)
	for _, t := range tasks {
		if t.ID != taskID || t.Status != onedoor.TaskOpen {
			continue
		}
		if posts := s.postsSeeing(ctx, c); len(posts) > 1 {
			// A user of several posts claims in the post the task is theirs in.
			p := postHolding(posts, t)
			actIn(ctx, p)
			u = u.In(p)
		}
		if (u.OrgUnit != "" && t.OrgUnit == u.OrgUnit) || (u.Department != "" && t.Department == u.Department) {
			return nil
		}
		holder := "org unit " + t.OrgUnit
		if t.Department != "" {
			holder = "department " + t.Department
		}
		s.refused(ctx, fmt.Sprintf("claim of task %s of case %s held by %s", taskID, c.ID, holder))
		return huma.Error409Conflict(fmt.Sprintf("task %s is held by %s, not in your queue: claim the tasks of your own org unit or department", taskID, holder))
	}
	return nil
}

// caseToAct loads the case named ref for an action of the current user.
func (s *Server) caseToAct(ctx context.Context, ref string) (onedoor.Case, error) {
	c, err := s.Store.CaseSoon(ctx, ref, mirrorWait)
	if err != nil {
		return c, s.problem(ctx, err)
	}
	return c, s.canAct(ctx, ref, c)
}

func (s *Server) queue(ctx context.Context, in *QueueInput) (*QueueOutput, error) {
	u := currentUser(ctx)
	f := store.QueueFilter{UserID: u.ID, OrgUnit: u.OrgUnit, Department: u.Department, Matter: in.Matter,
		Status: in.Status, Cursor: in.Cursor, Limit: in.Limit, Overdue: boolParam(in.Overdue)}
	// Every post's tasks, for a user of several posts who names none.
	posts := postsOf(ctx)
	holders := make([]store.QueueHolder, len(posts))
	for i, p := range posts {
		var err error
		if holders[i], err = s.holderOf(ctx, u.In(p)); err != nil {
			return nil, s.problem(ctx, err)
		}
	}
	if len(holders) > 0 {
		f.OrgUnit, f.Department, f.Fence, f.More = holders[0].OrgUnit, holders[0].Department, holders[0].Fence, holders[1:]
	}
	if in.DueBefore != "" {
		t, err := time.Parse(time.RFC3339, in.DueBefore)
		if err != nil {
			return nil, huma.Error422UnprocessableEntity("bad due_before",
				&huma.ErrorDetail{Location: "query.due_before", Message: "an RFC 3339 instant, e.g. 2026-05-01T00:00:00+08:00", Value: in.DueBefore})
		}
		f.DueBefore = &t
	}
	page, err := s.Store.Queue(ctx, f)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if len(posts) > 1 {
		for i := range page.Items {
			page.Items[i].Post = postHolding(posts, page.Items[i].Task).Key()
		}
	}
	out := &QueueOutput{}
	out.Body.Items, out.Body.Next = page.Items, page.Next
	return out, nil
}

// holderOf is whose tasks a post holds: department staff their department's, fenced to their
// county, not those of the unit they are stationed at; everyone else their unit's.
func (s *Server) holderOf(ctx context.Context, u onedoor.User) (store.QueueHolder, error) {
	if u.Role != onedoor.RoleDepartment {
		return store.QueueHolder{OrgUnit: u.OrgUnit}, nil
	}
	sc, err := s.scopeOf(ctx, u)
	return store.QueueHolder{Department: u.Department, Fence: sc.Units}, err
}

// postHolding is the post of posts a task of the queue is in: the department's for a
// department's task, the unit's for a unit's; the first post for a task claimed or delegated.
func postHolding(posts []onedoor.Post, t onedoor.Task) onedoor.Post {
	for _, p := range posts {
		if t.Department != "" && p.Role == onedoor.RoleDepartment && p.Department == t.Department {
			return p
		}
	}
	for _, p := range posts {
		if t.Department == "" && p.Role != onedoor.RoleDepartment && p.OrgUnit == t.OrgUnit && string(p.Role) == t.Role {
			return p
		}
	}
	for _, p := range posts {
		if t.Department == "" && p.Role != onedoor.RoleDepartment && p.OrgUnit == t.OrgUnit {
			return p
		}
	}
	return posts[0]
}

// boolParam reads an optional "true"/"false" query parameter.
func boolParam(s string) *bool {
	if s == "" {
		return nil
	}
	b := s == "true"
	return &b
}
