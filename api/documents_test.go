package api_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/document/pdftest"
)

// pdf gets a document as user: its status, content type, Content-Disposition and body.
func (cs *caseServer) pdf(t *testing.T, path, user string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, cs.url+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+cs.tokens[user])
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if dir := os.Getenv("ONEDOOR_PDF_DIR"); dir != "" && resp.StatusCode == http.StatusOK {
		// For a person to look at: go test -run Documents with ONEDOOR_PDF_DIR naming a folder.
		name := t.Name() + "-" + user + "-" + path[strings.LastIndex(path, "/")+1:]
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	return resp.StatusCode, resp.Header, b
}

// A petition's acceptance notice is refused until the petition is accepted, then names the case,
// the petitioner and the organ, and its QR code leads to the resident's status page; the
// mediation agreement is refused for it, the summary is there from the start, and none of them
// exists for a user outside the case's scope.
func TestPetitionDocuments(t *testing.T) {
	t.Parallel()
	const public = "https://onedoor.example.cn/wushen"
	cs := newCaseServer(t, func(s *api.Server) { s.PublicURL = public })
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", petition())
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	docs := "/v1/cases/" + number + "/documents/"

	status, _, body := cs.pdf(t, docs+"acceptance-notice.pdf", "clerk-galutu")
	require.Equal(t, http.StatusConflict, status, string(body))
	require.Contains(t, string(body), "案件"+number+"尚未受理：受理后方可出具受理告知书")
	status, list := cs.do(t, http.MethodGet, "/v1/cases/"+number+"/documents", "clerk-galutu", nil, "Accept-Language", "zh-CN")
	require.Equal(t, http.StatusOK, status, list)
	items := list["items"].([]any)
	require.Len(t, items, 3)
	notice := items[0].(map[string]any)
	require.Equal(t, "acceptance-notice", notice["kind"])
	require.Equal(t, "信访事项受理告知书", notice["name"])
	require.Equal(t, false, notice["available"])
	require.Contains(t, notice["reason"], "尚未受理")
	require.Equal(t, true, items[2].(map[string]any)["available"], "the summary is always there")

	for _, outcome := range []string{"register", "accept"} {
		status, c = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu", map[string]any{"type": "complete", "outcome": outcome})
		require.Equal(t, http.StatusOK, status, c)
	}
	status, h, b := cs.pdf(t, docs+"acceptance-notice.pdf", "clerk-galutu")
	require.Equal(t, http.StatusOK, status, string(b))
	require.Equal(t, "application/pdf", h.Get("Content-Type"))
	require.Contains(t, h.Get("Content-Disposition"), `filename="acceptance-notice-`+number+`.pdf"`)
	require.Contains(t, h.Get("Content-Disposition"), "filename*=UTF-8''"+url.PathEscape("信访事项受理告知书-"+number+".pdf"))
	text, pages, err := pdftest.Text(b)
	require.NoError(t, err)
	require.Equal(t, 1, pages)
	for _, want := range []string{"信访事项受理告知书", "编号：" + number, "张三：", "“草场边界纠纷”信访事项", "嘎鲁图镇综治中心",
		"本机关已于", "依法受理", "办理期限为60日", "信访工作条例第三十四条"} {
		require.Contains(t, text, want)
	}
	qr, err := pdftest.QR(b)
	require.NoError(t, err)
	require.Equal(t, public+"/status?n="+number, qr)

	status, _, body = cs.pdf(t, docs+"mediation-agreement.pdf", "clerk-galutu")
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, string(body), "没有调解协议")

	status, h, b = cs.pdf(t, docs+"summary.pdf", "supervisor-galutu")
	require.Equal(t, http.StatusOK, status, string(b))
	require.Contains(t, h.Get("Content-Disposition"), url.PathEscape("案件办理情况摘要"))
	text, _, err = pdftest.Text(b)
	require.NoError(t, err)
	for _, want := range []string{"案件办理情况摘要", number, "事由：草场边界纠纷", "联系电话：13800138000", "登记", "受理",
		"登记受理告知期限", "按期完成", "打印：supervisor-galutu"} {
		require.Contains(t, text, want)
	}

	// Outside the scope, as for the case itself: another county's clerk, a village's clerk below.
	for _, user := range []string{"clerk-otog", "clerk-sarula"} {
		for _, kind := range []string{"acceptance-notice", "summary"} {
			status, _, _ = cs.pdf(t, docs+kind+".pdf", user)
			require.Equal(t, http.StatusNotFound, status, user+" "+kind)
		}
		status, _ = cs.do(t, http.MethodGet, "/v1/cases/"+number+"/documents", user, nil)
		require.Equal(t, http.StatusNotFound, status, user)
	}
}

// A mediation that reached an agreement has its 调解协议书 with the parties, the terms and the
// committee; an auditor reads it with the applicant's phone masked.
func TestMediationAgreementDocument(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-galutu", map[string]any{"matter": "mediation", "channel": "visit",
		"subject": "草场边界纠纷调解", "resident_name": "巴特尔", "data": map[string]any{"applicant": "巴特尔", "phone": "13800138000",
			"respondent": "其其格", "dispute_type": "land", "amount": 50000, "parties": 2, "facts": "双方因草场边界发生争议，申请人称被申请人越界放牧。"}})
	require.Equal(t, http.StatusCreated, status, c)
	number := c["number"].(string)
	path := "/v1/cases/" + number + "/documents/mediation-agreement.pdf"
	const terms = "一、其其格于2026年3月1日前向巴特尔支付草场占用补偿款伍仟元。二、双方以现有围栏为界。"
	for _, step := range []map[string]any{
		{"type": "complete", "outcome": "register"},
		{"type": "complete", "outcome": "accept"},
		{"type": "complete", "outcome": "mediator"},
	} {
		status, c = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu", step)
		require.Equal(t, http.StatusOK, status, c)
		if step["outcome"] == "accept" {
			// Accepted: the mediation's 受理通知书, not a petition's.
			status, _, b := cs.pdf(t, "/v1/cases/"+number+"/documents/acceptance-notice.pdf", "clerk-galutu")
			require.Equal(t, http.StatusOK, status)
			text, _, err := pdftest.Text(b)
			require.NoError(t, err)
			require.Contains(t, text, "受理通知书")
			require.Contains(t, text, "“草场边界纠纷调解”人民调解事项")
		}
	}
	status, _, body := cs.pdf(t, path, "clerk-galutu")
	require.Equal(t, http.StatusConflict, status, "mediation under way: no agreement yet")
	require.Contains(t, string(body), "没有调解协议")

	status, c = cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-galutu",
		map[string]any{"type": "complete", "outcome": "agreed", "data": map[string]any{"agreement": terms}})
	require.Equal(t, http.StatusOK, status, c)
	require.Equal(t, "confirm", c["step"])

	status, h, b := cs.pdf(t, path, "clerk-galutu")
	require.Equal(t, http.StatusOK, status, string(b))
	require.Equal(t, "application/pdf", h.Get("Content-Type"))
	text, pages, err := pdftest.Text(b)
	require.NoError(t, err)
	require.Equal(t, 1, pages)
	for _, want := range []string{"嘎鲁图镇人民调解委员会", "人民调解协议书", "编号：" + number, "申请人：巴特尔", "联系电话：13800138000",
		"对方当事人：其其格", "纠纷类型：土地草场", "越界放牧", strings.SplitN(terms, "。", 2)[0], "人民调解员（签名）", "（印章）"} {
		require.Contains(t, text, want)
	}

	status, _, b = cs.pdf(t, path, "auditor")
	require.Equal(t, http.StatusOK, status, string(b))
	text, _, err = pdftest.Text(b)
	require.NoError(t, err)
	require.Contains(t, text, "联系电话：138****8000")
	require.NotContains(t, text, "13800138000")
}

// A dispute mediated on the spot (即知即调) was accepted and handled at once: its notice is there;
// one closed without being accepted has none, and says so.
func TestNoticeOfAMatterHandledOnTheSpot(t *testing.T) {
	t.Parallel()
	cs := newCaseServer(t)
	register := func() string {
		status, c := cs.do(t, http.MethodPost, "/v1/cases", "clerk-sarula", map[string]any{"matter": "mediation", "channel": "visit",
			"subject": "楼上漏水", "resident_name": "乌云", "data": map[string]any{"applicant": "乌云", "phone": "13800138000",
				"respondent": "王五", "dispute_type": "neighbour", "amount": 800, "parties": 2, "facts": "楼上卫生间漏水，损坏楼下吊顶。"}})
		require.Equal(t, http.StatusCreated, status, c)
		return c["number"].(string)
	}
	act := func(number string, outcomes ...string) {
		for _, o := range outcomes {
			status, c := cs.do(t, http.MethodPost, "/v1/cases/"+number+"/actions", "clerk-sarula", map[string]any{"type": "complete", "outcome": o})
			require.Equal(t, http.StatusOK, status, c)
		}
	}
	onSpot := register()
	act(onSpot, "on_spot")
	status, _, b := cs.pdf(t, "/v1/cases/"+onSpot+"/documents/acceptance-notice.pdf", "clerk-sarula")
	require.Equal(t, http.StatusOK, status, string(b))
	text, _, err := pdftest.Text(b)
	require.NoError(t, err)
	require.Contains(t, text, "萨如拉社区综治中心")
	require.Contains(t, text, "依法受理")

	declined := register()
	act(declined, "register", "decline")
	status, _, b = cs.pdf(t, "/v1/cases/"+declined+"/documents/acceptance-notice.pdf", "clerk-sarula")
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, string(b), "未经受理即已办结")
}
