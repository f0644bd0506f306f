package document_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/document"
	"github.com/onedoor/onedoor/document/pdftest"
)

var day = time.Date(2026, 1, 5, 9, 30, 0, 0, definitions.Shanghai)

func TestAcceptanceNotice(t *testing.T) {
	t.Parallel()
	url := "https://onedoor.example.cn/status?n=WS-PET-2026-000001"
	b, err := document.AcceptanceNotice(document.Notice{
		Number: "WS-PET-2026-000001", Petition: true, Matter: "信访", Resident: "张三", Subject: "草场边界纠纷",
		Channel: "来访", ReceivedAt: day, AcceptedAt: day.AddDate(0, 0, 1), Organ: "乌审旗嘎鲁图镇综治中心",
		Handler: "乌审旗司法局", StatusURL: url, IssuedAt: day.AddDate(0, 0, 1),
		Limits: []document.Limit{{Name: "办理期限", Period: "60日", Basis: "信访工作条例第三十四条", Due: day.AddDate(0, 2, 0), Note: "经批准可延长不超过30日"}},
	})
	require.NoError(t, err)
	save(t, "notice.pdf", b)
	text, pages := read(t, b)
	require.Equal(t, 1, pages, "a notice is one page")
	for _, want := range []string{"乌审旗嘎鲁图镇综治中心", "信访事项受理告知书", "编号：WS-PET-2026-000001", "张三：",
		"2026年1月5日通过来访提出的“草场边界纠纷”信访事项", "本机关已于2026年1月6日依法受理", "该事项由乌审旗司法局办理",
		"信访工作条例第三十四条，办理期限为60日，至2026年3月5日届满", "（印章）", "扫码查询办理进度"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, url, qrText(t, b), "the QR code leads to the resident's status page")

	// Another matter: the equivalent 受理通知书, handled by the organ itself.
	b, err = document.AcceptanceNotice(document.Notice{Number: "WS-MED-2026-000002", Matter: "人民调解", Resident: "李四",
		Subject: "邻里漏水纠纷", ReceivedAt: day, AcceptedAt: day, Organ: "萨如拉社区综治中心", StatusURL: url, IssuedAt: day})
	require.NoError(t, err)
	text, _ = read(t, b)
	require.Contains(t, text, "受理通知书")
	require.NotContains(t, text, "信访")
	require.Contains(t, text, "“邻里漏水纠纷”人民调解事项")
	require.Contains(t, text, "该事项由本机关办理")
}

func TestMediationAgreement(t *testing.T) {
	t.Parallel()
	a := document.Agreement{Number: "WS-MED-2026-000003", Committee: "嘎鲁图镇人民调解委员会",
		Applicant: "巴特尔", Contact: "138****8000", Respondent: "其其格", Kind: "土地草场",
		Facts:    "双方因草场边界发生争议，申请人称被申请人越界放牧。",
		Terms:    "一、被申请人于2026年2月1日前向申请人支付草场占用补偿款人民币伍仟元整。\n二、双方以现有围栏为界，互不越界放牧。",
		AgreedAt: day}
	b, err := document.MediationAgreement(a)
	require.NoError(t, err)
	save(t, "agreement.pdf", b)
	text, pages := read(t, b)
	require.Equal(t, 1, pages)
	for _, want := range []string{"嘎鲁图镇人民调解委员会", "人民调解协议书", "编号：WS-MED-2026-000003", "申请人：巴特尔",
		"联系电话：138****8000", "对方当事人：其其格", "纠纷类型：土地草场", "被申请人于2026年2月1日前向申请人支付草场占用补偿款人民币伍仟元整",
		"申请人（签名、盖章或按指印）", "对方当事人（签名、盖章或按指印）", "人民调解员（签名）", "（印章）", "2026年1月5日",
		"三十日内共同向人民法院申请司法确认", "第1页 共1页"} {
		require.Contains(t, text, want)
	}

	// Long terms run over; the signature places stay whole, after the terms.
	a.Terms = strings.Repeat(a.Terms+"\n", 8) + "以上共十六条。"
	b, err = document.MediationAgreement(a)
	require.NoError(t, err)
	save(t, "agreement-long.pdf", b)
	text, pages = read(t, b)
	require.Equal(t, 2, pages)
	require.Contains(t, text, "第2页 共2页")
	require.Less(t, strings.Index(text, "以上共十六条。"), strings.Index(text, "人民调解员（签名）"))
}

func TestCaseSummary(t *testing.T) {
	t.Parallel()
	var timeline []document.Entry
	for i := range 60 { // a long history runs over several pages
		timeline = append(timeline, document.Entry{At: day.Add(time.Duration(i) * time.Hour), Actor: "clerk-galutu", Action: "办理",
			Reason: "第" + string(rune('一'+i%9)) + "次办理意见：已电话联系当事人，说明处理进展。"})
	}
	b, err := document.CaseSummary(document.Summary{Number: "WS-PET-2026-000004", Organ: "乌审旗嘎鲁图镇综治中心", Matter: "信访",
		Procedure: "信访事项办理（第1版）", Subject: "草场边界纠纷", Resident: "张三", Channel: "来访", ReceivedAt: day,
		ReceivedBy: "萨如拉社区", Status: "已办结", Level: "苏木镇", Outcome: "出具书面处理意见（已解决）", Result: "依法答复",
		Data: []document.Field{{Label: "联系电话", Value: "138****8000"}}, Timeline: timeline,
		Deadlines: []document.Deadline{{Name: "办理期限", Period: "60日", Basis: "信访工作条例第三十四条", Due: day.AddDate(0, 2, 0),
			State: "按期完成", Explanation: "自2026年1月5日的次日起算60日"}},
		PrintedAt: day, PrintedBy: "supervisor-galutu"})
	require.NoError(t, err)
	save(t, "summary.pdf", b)
	text, pages := read(t, b)
	require.Greater(t, pages, 1, "sixty timeline entries do not fit one page")
	for _, want := range []string{"案件办理情况摘要", "编号：WS-PET-2026-000004", "事由：草场边界纠纷", "办理结果：出具书面处理意见（已解决）",
		"联系电话：138****8000", "一、办理经过", "二、期限", "信访工作条例第三十四条", "按期完成", "自2026年1月5日的次日起算60日",
		"第1页 共", "打印：supervisor-galutu"} {
		require.Contains(t, text, want)
	}
	require.Equal(t, 60, strings.Count(text, "说明处理进展"), "every timeline entry is printed once")
}

func read(t *testing.T, b []byte) (string, int) {
	t.Helper()
	text, pages, err := pdftest.Text(b)
	require.NoError(t, err)
	return text, pages
}

func qrText(t *testing.T, b []byte) string {
	t.Helper()
	text, err := pdftest.QR(b)
	require.NoError(t, err)
	return text
}

// save keeps the PDF for a person to look at when ONEDOOR_PDF_DIR names a folder.
func save(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("ONEDOOR_PDF_DIR"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
}

func BenchmarkAcceptanceNotice(b *testing.B) {
	n := document.Notice{Number: "WS-PET-2026-000001", Petition: true, Resident: "张三", Subject: "草场边界纠纷", ReceivedAt: day,
		AcceptedAt: day, Organ: "乌审旗嘎鲁图镇综治中心", StatusURL: "https://onedoor.example.cn/status?n=WS-PET-2026-000001", IssuedAt: day}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := document.AcceptanceNotice(n); err != nil {
			b.Fatal(err)
		}
	}
}
