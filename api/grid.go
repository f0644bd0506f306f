package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/gabriel-vasile/mimetype"
	"github.com/google/uuid"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
	"github.com/onedoor/onedoor/workflows"
)

// gridScheme is the security scheme of the operations grid systems call: a grid source's own
// token (onedoor grid-sources add), not a staff member's bearer token.
const gridScheme = "gridSource"

// gridSecured is the Security list of an operation a grid system calls.
var gridSecured = []map[string][]string{{gridScheme: {}}}

// gridNamespace scopes the case ids derived from a grid source's code and its event id.
var gridNamespace = uuid.MustParse("2f6c1a8e-5b0d-4f43-9f5e-8a1c7d3e4b21")

// GridTokenPrefix starts every grid source token, so that one is recognised in a log or a
// configuration file for what it is.
const GridTokenPrefix = "odgs_"

// NewGridToken is a fresh grid source token and its SHA-256, the only form in which it is kept.
func NewGridToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	token = GridTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, GridTokenHash(token)
}

// GridTokenHash is the SHA-256 of a grid source token: a token has 256 random bits, so a plain
// hash keeps it as safe as a password hash would, and finds its source in one index lookup.
func GridTokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

type gridSourceKey struct{}

// gridSourceOf is the grid source that authenticated the request.
func gridSourceOf(ctx context.Context) store.GridSource {
	src, _ := ctx.Value(gridSourceKey{}).(store.GridSource)
	return src
}

// usesGridScheme reports whether the operation is called by grid systems with their own token.
func usesGridScheme(op *huma.Operation) bool {
	return op != nil && len(op.Security) > 0 && op.Security[0][gridScheme] != nil
}

// authenticateGrid checks a grid source's token: a missing, malformed or unknown one is 401, rate
// limited by the client's address; a known source gets a bucket of its own.
func (s *Server) authenticateGrid(api huma.API, lim *limiter, ctx huma.Context, next func(huma.Context)) {
	token, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
	refuse := func(msg string, invalid bool) {
		if lim.allow(ctx, s.addrBucket(ctx)) {
			if invalid {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="onedoor-grid", error="invalid_token"`)
			} else {
				ctx.SetHeader("WWW-Authenticate", `Bearer realm="onedoor-grid"`)
			}
			_ = huma.WriteErr(api, ctx, http.StatusUnauthorized, msg)
		}
	}
	if !ok || token == "" {
		refuse("a grid source token is required: Authorization: Bearer <token of onedoor grid-sources add>", false)
		return
	}
	src, err := s.Store.GridSourceByToken(ctx.Context(), GridTokenHash(token))
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		s.Logger.WarnContext(ctx.Context(), "refused", "reason", "unknown grid source token")
		refuse("this token is no grid source's: ask the center's administrator for the token `onedoor grid-sources add` printed", true)
		return
	} else if err != nil {
		_ = huma.WriteErr(api, ctx, http.StatusServiceUnavailable, "cannot look up the grid source now; try again")
		s.Logger.ErrorContext(ctx.Context(), "look up grid source", "error", err)
		return
	}
	if !lim.allow(ctx, "grid:"+src.Code) {
		return
	}
	next(huma.WithValue(ctx, gridSourceKey{}, src))
}

// GridResident is the resident a grid event concerns, when there is one.
type GridResident struct {
	Name  string `json:"name" minLength:"1" maxLength:"50" example:"张三" doc:"Their name."`
	Phone string `json:"phone,omitempty" maxLength:"20" example:"13800138000" doc:"A mainland mobile or landline number."`
}

// GridEventBody is a grid event as a grid system posts it.
type GridEventBody struct {
	EventID     string        `json:"event_id" minLength:"1" maxLength:"128" pattern:"^[!-~]+$" example:"GX-20261127-0042" doc:"The source's own id of the event (printable ASCII, no spaces): the same id again is the same event, answered with its case."`
	Kind        string        `json:"kind" enum:"person,event,place,thing,situation" example:"event" doc:"What the event is about: 人 person, 事 event, 地 place, 物 thing, 情 situation (人、事、地、物、情)."`
	Grid        string        `json:"grid" minLength:"1" maxLength:"64" example:"galutu-v01-w1" doc:"Code of the grid (an org unit marked grid) the event is in; one below the units the source reports for."`
	Latitude    *float64      `json:"latitude,omitempty" minimum:"-90" maximum:"90" example:"38.5921" doc:"Where, WGS-84 latitude in degrees; with longitude."`
	Longitude   *float64      `json:"longitude,omitempty" minimum:"-180" maximum:"180" example:"108.8423" doc:"Where, WGS-84 longitude in degrees; with latitude."`
	Description string        `json:"description" minLength:"2" maxLength:"5000" example:"两户牧民因草场围栏边界发生争执。" doc:"What happened."`
	OccurredAt  time.Time     `json:"occurred_at" doc:"When it happened (RFC 3339); not in the future."`
	Resident    *GridResident `json:"resident,omitempty" doc:"The resident the event concerns, if any."`
	Photos      []GridPhoto   `json:"photos,omitempty" maxItems:"4" doc:"Photos of what was found, at most 4: each JPEG or PNG as its content shows, at most 3 MiB (or the server's attachment limit, if smaller). They become the case's attachments, entered by the source; part of the event, so the same event again sends the same photos."`
}

// GridPhoto is one photo of a grid event, its bytes in base64.
type GridPhoto struct {
	Name    string `json:"name,omitempty" maxLength:"200" example:"现场1.jpg" doc:"The photo's file name as the case shows it; photo-N with the type's extension when absent."`
	Content string `json:"content" minLength:"1" maxLength:"4194304" example:"/9j/4AAQSkZJRgABAQ..." doc:"The photo's bytes in base64 (RFC 4648 standard alphabet, padded): JPEG or PNG, at most 3 MiB decoded."`
}

// Grid event photos: a few, small enough to travel in the event's JSON body (base64 adds a third).
const (
	gridPhotosMax     = 4
	gridPhotoMaxBytes = 3 << 20
	// gridEventBodyMax bounds a posted event: the event itself (1 MiB, as any body) and its photos.
	gridEventBodyMax = 1<<20 + gridPhotosMax*(gridPhotoMaxBytes/3*4+4<<10)
)

// PostGridEventInput is a grid event posted by a grid system.
type PostGridEventInput struct {
	Body GridEventBody
}

// GridReceipt is what a grid system gets for an event: the case it became.
type GridReceipt struct {
	Source     string            `json:"source" doc:"The source's code."`
	EventID    string            `json:"event_id" doc:"The source's id of the event."`
	CaseID     string            `json:"case_id" doc:"The id of the case the event became."`
	Case       string            `json:"case" doc:"The case's number."`
	Status     onedoor.Status    `json:"status" doc:"Whether the case is open or closed."`
	Level      definitions.Level `json:"level" doc:"The level of the chain holding the case."`
	OrgUnit    string            `json:"org_unit" doc:"The org unit holding the case."`
	ReceivedAt time.Time         `json:"received_at" doc:"When the event was first received."`
	Repeated   bool              `json:"repeated" doc:"The event had been posted before: this is its case, and nothing new was registered."`
}

// GridReceiptOutput answers a posted event: 201 the first time, 200 for the same event again.
type GridReceiptOutput struct {
	Status int
	Body   GridReceipt
}

// GetGridEventInput names an event of the calling source.
type GetGridEventInput struct {
	EventID string `path:"event_id" maxLength:"128" doc:"The source's id of the event."`
}

func (s *Server) registerGrid(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "post-grid-event",
		Method:      http.MethodPost,
		Path:        "/v1/grid/events",
		Summary:     "Report a grid event",
		Description: "A grid system (网格化管理系统) reports what a grid team found (人、事、地、物、情): the event is registered " +
			"as a grid_event case at the grid, held by the grid's worker, who settles it on the spot or reports it up the chain. " +
			"Authenticated by the source's own token (`onedoor grid-sources add`), not a staff token. Idempotent by the source's " +
			"event id: the same event posted again, or by two posts at once, answers the one case (201 the first time, 200 after), " +
			"and the same id with a different body is refused (409). Up to 4 photos (JPEG, PNG; base64 in `photos`) become the " +
			"case's attachments; a photo of another type, not base64 or too large is refused 422 at `body.photos[i].content`, " +
			"nothing registered. See docs/grid.md.",
		Tags:          []string{"Grid"},
		DefaultStatus: http.StatusCreated,
		Security:      gridSecured,
		MaxBodyBytes:  gridEventBodyMax,
		Metadata:      map[string]any{metaBodyReadTimeout: uploadReadTimeout},
		Errors: []int{http.StatusUnauthorized, http.StatusConflict, http.StatusRequestEntityTooLarge,
			http.StatusUnprocessableEntity, http.StatusServiceUnavailable},
	}, s.postGridEvent)

	huma.Register(api, huma.Operation{
		OperationID: "get-grid-event",
		Method:      http.MethodGet,
		Path:        "/v1/grid/events/{event_id}",
		Summary:     "Where a grid event stands",
		Description: "The case an event of the calling source became, and whether it is open or closed, at which level. " +
			"Another source's events are not found.",
		Tags:     []string{"Grid"},
		Security: gridSecured,
		Errors:   []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.getGridEvent)
}

// gridKindZH are the kinds of grid event in the words of the subject line.
var gridKindZH = map[string]string{"person": "人", "event": "事", "place": "地", "thing": "物", "situation": "情"}

func (s *Server) postGridEvent(ctx context.Context, in *PostGridEventInput) (*GridReceiptOutput, error) {
	src := gridSourceOf(ctx)
	b := in.Body
	now := time.Now().In(definitions.Shanghai)

	// Every check before anything is written: a refused event leaves no trace, and its source
	// may post it again, corrected, under the same id.
	chain, err := s.gridChain(ctx, src, b.Grid)
	if err != nil {
		return nil, err
	}
	var problems []error
	if (b.Latitude == nil) != (b.Longitude == nil) {
		problems = append(problems, &huma.ErrorDetail{Location: "body.longitude",
			Message: "latitude and longitude come together: send both or neither"})
	}
	if b.OccurredAt.After(now.Add(clockSkew)) {
		problems = append(problems, &huma.ErrorDetail{Location: "body.occurred_at", Value: b.OccurredAt.Format(time.RFC3339),
			Message: "an event cannot have happened in the future"})
	}
	photos, photoProblems := s.gridPhotos(ctx, b.Photos)
	problems = append(problems, photoProblems...)
	if len(problems) > 0 {
		return nil, huma.Error422UnprocessableEntity("the grid event has a problem", problems...)
	}
	if len(photos) > 0 {
		if err := s.blobsReady(); err != nil {
			return nil, err
		}
	}
	proc, override, err := s.procedureOf(ctx, definitions.MatterGridEvent, "", countyCode(chain), now)
	if err != nil {
		return nil, err
	}
	data := gridData(src, b)
	if err := checkDataSize(data); err != nil {
		return nil, err
	}
	if ps := definitions.ValidateData(proc.Form, data); len(ps) > 0 {
		return nil, gridDataProblems(ps)
	}

	body, err := json.Marshal(b)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	hash := sha256.Sum256(body)
	ev := store.GridEvent{Source: src.Code, EventID: b.EventID, BodyHash: hash[:], Grid: b.Grid, Kind: b.Kind,
		Latitude: b.Latitude, Longitude: b.Longitude,
		CaseID: uuid.NewSHA1(gridNamespace, []byte(src.Code+"\x00"+b.EventID)).String()}
	first, added, err := s.Store.RecordGridEvent(ctx, ev)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	if !bytes.Equal(first.BodyHash, ev.BodyHash) {
		return nil, huma.Error409Conflict(fmt.Sprintf(
			"event %s of source %s was first posted on %s with a different body: an event id names one event; post a changed or new event under a new id",
			b.EventID, src.Code, first.ReceivedAt.In(definitions.Shanghai).Format("2006-01-02 15:04:05")))
	}

	// The case is registered the first time and joined after: its id and number follow from the
	// event, and its receipt is the event's first.
	received := first.ReceivedAt.In(definitions.Shanghai)
	c := onedoor.Case{
		ID:               first.CaseID,
		Matter:           definitions.MatterGridEvent,
		Status:           onedoor.StatusOpen,
		Step:             proc.StartStep(),
		Level:            chain[0].Level,
		OrgUnit:          chain[0].Code,
		ReceivedBy:       chain[0].Code,
		Channel:          onedoor.ChannelGrid,
		Subject:          gridSubject(b),
		ResidentName:     "网格上报",
		Data:             data,
		ProcedureKey:     proc.Key,
		ProcedureVersion: proc.Version,
		CreatedBy:        GridActor(src.Code),
		ReceivedAt:       received,
		UpdatedAt:        now,
		OverrideVersion:  override,
	}
	if b.Resident != nil {
		c.ResidentName = b.Resident.Name
	}
	if c.Number, err = s.Store.ReserveNumber(ctx, c.ID, onedoor.NumberPrefix(s.numberPrefix(chain), c.Matter, received.Year())); err != nil {
		return nil, s.problem(ctx, err)
	}
	state, err := s.openCase(ctx, onedoor.User{ID: c.CreatedBy}, c, proc, chain, nil)
	if err != nil {
		return nil, err
	}
	// The photos the first time, and after a post cut off halfway those it did not get to:
	// each is named by the event and its place in it, so none is attached twice.
	if err := s.attachGridPhotos(ctx, src, state.Case, photos); err != nil {
		return nil, err
	}
	if added {
		s.Logger.InfoContext(ctx, "grid event registered", "source", src.Code, "event", b.EventID, "case", state.Case.Number)
	}
	out := &GridReceiptOutput{Status: http.StatusOK, Body: receipt(first, state.Case)}
	out.Body.Repeated = !added
	if added {
		out.Status = http.StatusCreated
	}
	return out, nil
}

func (s *Server) getGridEvent(ctx context.Context, in *GetGridEventInput) (*GridReceiptOutput, error) {
	src := gridSourceOf(ctx)
	ev, err := s.Store.GridEventOf(ctx, src.Code, in.EventID)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	c, err := s.Store.CaseSoon(ctx, ev.CaseID, mirrorWait)
	if err != nil {
		return nil, s.problem(ctx, err)
	}
	return &GridReceiptOutput{Status: http.StatusOK, Body: receipt(ev, c)}, nil
}

// receipt is what a source is told of its event's case: where it stands, nothing personal.
func receipt(ev store.GridEvent, c onedoor.Case) GridReceipt {
	return GridReceipt{Source: ev.Source, EventID: ev.EventID, CaseID: c.ID, Case: c.Number, Status: c.Status,
		Level: c.Level, OrgUnit: c.OrgUnit, ReceivedAt: ev.ReceivedAt}
}

// GridActor is the actor the audit log names for what a grid source did: grid-source:CODE.
func GridActor(source string) string { return "grid-source:" + source }

// gridChain is the grid with the code and its ancestors, for the source: 422 at body.grid when
// there is no such unit, when it is no grid, or when it lies outside the source's units.
func (s *Server) gridChain(ctx context.Context, src store.GridSource, code string) ([]definitions.OrgUnit, error) {
	chain, err := s.Store.Chain(ctx, code)
	if onedoor.ErrorCode(err) == onedoor.ENotFound {
		return nil, huma.Error422UnprocessableEntity("unknown grid",
			&huma.ErrorDetail{Location: "body.grid", Value: code, Message: "no org unit has this code"})
	} else if err != nil {
		return nil, s.problem(ctx, err)
	}
	if !chain[0].Grid {
		return nil, huma.Error422UnprocessableEntity("not a grid",
			&huma.ErrorDetail{Location: "body.grid", Value: code, Message: fmt.Sprintf(
				"%s (%s) is a %s, not a grid: name a grid (网格) below a village", code, chain[0].Name, chain[0].Level)})
	}
	for _, u := range chain {
		if slices.Contains(src.Units, u.Code) {
			return chain, nil
		}
	}
	return nil, huma.Error422UnprocessableEntity("grid outside the source's units",
		&huma.ErrorDetail{Location: "body.grid", Value: code, Message: fmt.Sprintf(
			"grid source %s reports for the grids below %s; %s (%s) is not one of them", src.Code, strings.Join(src.Units, ", "), code, chain[0].Name)})
}

// gridData is the intake data of the grid_event form for an event.
func gridData(src store.GridSource, b GridEventBody) map[string]any {
	data := map[string]any{
		"kind": b.Kind, "grid": b.Grid, "description": b.Description,
		"occurred_at": b.OccurredAt.In(definitions.Shanghai).Format("2006-01-02 15:04"),
		"source":      src.Code, "source_event_id": b.EventID,
	}
	if b.Latitude != nil && b.Longitude != nil {
		data["coordinates"] = fmt.Sprintf("%.6f,%.6f", *b.Latitude, *b.Longitude)
	}
	if r := b.Resident; r != nil {
		data["resident"] = r.Name
		if r.Phone != "" {
			data["phone"] = r.Phone
		}
	}
	return data
}

// gridSubject is the case's subject line: the kind, then the start of what happened.
func gridSubject(b GridEventBody) string {
	text := []rune(strings.Join(strings.Fields(b.Description), " "))
	if len(text) > 60 {
		text = append(text[:60], '…')
	}
	return "网格事件（" + gridKindZH[b.Kind] + "）：" + string(text)
}

// gridDataProblems is the 422 of an event that does not fit the grid_event form, each problem
// at the field of the event's body it came from.
func gridDataProblems(ps []definitions.Problem) error {
	at := map[string]string{"resident": "body.resident.name", "phone": "body.resident.phone", "coordinates": "body.latitude",
		"occurred_at": "body.occurred_at", "source_event_id": "body.event_id"}
	details := make([]error, len(ps))
	for i, p := range ps {
		field := strings.TrimPrefix(strings.TrimPrefix(p.Path, "/"), "data/")
		loc, ok := at[field]
		if !ok {
			loc = "body." + field
		}
		details[i] = &huma.ErrorDetail{Location: loc, Message: p.Message}
	}
	return huma.Error422UnprocessableEntity("the grid event does not fit the grid_event procedure's form", details...)
}

// gridPhoto is a photo of a posted event, decoded and checked.
type gridPhoto struct {
	name, typ, sum string
	content        []byte
}

// gridPhotos decodes and checks the photos of a posted event: each is base64, an image of a type
// attachments accept (detected from its content), within the limit; the problems are located at
// body.photos[i].
func (s *Server) gridPhotos(ctx context.Context, in []GridPhoto) ([]gridPhoto, []error) {
	limit := min(int64(gridPhotoMaxBytes), s.attachmentLimit())
	_, names := photoTypes()
	var photos []gridPhoto
	var problems []error
	for i, p := range in {
		at := fmt.Sprintf("body.photos[%d]", i)
		content, err := base64.StdEncoding.DecodeString(p.Content)
		if err != nil {
			problems = append(problems, &huma.ErrorDetail{Location: at + ".content", Message: fmt.Sprintf(
				"the photo is not base64 (standard alphabet, padded): %v", err)})
			continue
		}
		if int64(len(content)) > limit {
			problems = append(problems, &huma.ErrorDetail{Location: at + ".content", Message: fmt.Sprintf(
				"the photo has %d bytes; at most %d", len(content), limit)})
			continue
		}
		detected := mimetype.Detect(content)
		typ := detectedType(detected, true)
		if typ == "" {
			s.refused(ctx, fmt.Sprintf("grid event photo of type %s", detected.String()))
			problems = append(problems, &huma.ErrorDetail{Location: at + ".content", Message: fmt.Sprintf(
				"the content is %s: a grid event's photos are %s", detected.String(), names)})
			continue
		}
		name := fileName(p.Name)
		if p.Name == "" {
			name = fmt.Sprintf("photo-%d%s", i+1, detected.Extension())
		} else if name == "" {
			problems = append(problems, &huma.ErrorDetail{Location: at + ".name", Value: p.Name,
				Message: "the name has nothing a person could read: leave it out, or name the photo"})
			continue
		}
		sum := sha256.Sum256(content)
		photos = append(photos, gridPhoto{name: name, typ: typ, sum: hex.EncodeToString(sum[:]), content: content})
	}
	return photos, problems
}

// attachGridPhotos attaches an event's photos to its case, entered by the source, as an upload
// would: stored, described, recorded in the case's timeline. A photo's id follows from the case
// and its place in the event, so a repeated post attaches none again, and finishes those a post
// cut off halfway did not.
func (s *Server) attachGridPhotos(ctx context.Context, src store.GridSource, c onedoor.Case, photos []gridPhoto) error {
	if len(photos) == 0 {
		return nil
	}
	// A photo's row refers to the case's: wait for the read model to hold it (503 when it does
	// not yet: the event posted again attaches the photos).
	if _, err := s.Store.CaseSoon(ctx, c.ID, mirrorWait); err != nil {
		return s.problem(ctx, err)
	}
	actor := onedoor.User{ID: GridActor(src.Code)}
	for i, p := range photos {
		id := uuid.NewSHA1(gridNamespace, []byte(fmt.Sprintf("%s\x00photo\x00%d", c.ID, i))).String()
		old, err := s.Store.Attachment(ctx, c.ID, id)
		if err == nil && old.Seq > 0 {
			continue // attached by an earlier post of the event
		} else if err != nil && onedoor.ErrorCode(err) != onedoor.ENotFound {
			return s.problem(ctx, err)
		}
		a := onedoor.Attachment{ID: id, CaseID: c.ID, Name: p.name, Size: int64(len(p.content)), Type: p.typ, SHA256: p.sum,
			UploadedBy: actor.ID, UploadedAt: time.Now(), Key: "cases/" + c.ID + "/" + id}
		if err := s.Blobs.Put(ctx, a.Key, bytes.NewReader(p.content), a.Size, a.Type); err != nil {
			return s.problem(ctx, err)
		}
		if err := s.Store.AddAttachment(ctx, a); err != nil {
			return s.problem(ctx, err)
		}
		ref := &workflows.AttachmentRef{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size, SHA256: a.SHA256}
		state, err := s.cases.Act(ctx, c, "attach-"+a.ID, workflows.Action{Type: workflows.ActAttach, Actor: actor, Attachment: ref})
		if err != nil {
			return s.problem(ctx, err)
		}
		if err := s.Store.RecordedAttachment(ctx, a.ID, state.Seq); err != nil {
			return s.problem(ctx, err)
		}
	}
	return nil
}
