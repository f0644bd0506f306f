package document

import (
	"fmt"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"
)

// Notice is what an acceptance notice (受理告知书) tells the resident: that their matter is
// accepted, by which organ, who handles it, and by when. 信访工作条例 Art.23 requires it in
// writing within 15 days of receipt for a petition; the other matters get the equivalent
// 受理通知书.
type Notice struct {
	Number     string    // the case number, the notice's 文号
	Petition   bool      // a petition (信访): the title and the wording follow 信访工作条例
	Matter     string    // the matter's name, e.g. 人民调解
	Resident   string    // whom the notice is addressed to
	Subject    string    // the matter as registered
	Channel    string    // how it came, e.g. 来访 (empty: not said)
	ReceivedAt time.Time // when it was received
	AcceptedAt time.Time // when it was accepted
	Organ      string    // the organ that accepted it, which issues the notice and seals it
	Handler    string    // who handles it now, when not the organ itself
	Limits     []Limit   // the time limits the resident may hold the organ to
	StatusURL  string    // the resident's status page for this case, printed as a QR code
	IssuedAt   time.Time // the notice's date
}

// Limit is a time limit of a case: what it is for, its period and legal basis, and its end.
type Limit struct {
	Name   string    // e.g. 办理期限
	Period string    // e.g. 60日
	Basis  string    // e.g. 信访工作条例第三十四条
	Due    time.Time // the end of the period
	Note   string    // how the end was counted, or what else applies
}

// NoticeTitle is the notice's title: 信访事项受理告知书 for a petition, 受理通知书 otherwise.
func NoticeTitle(petition bool) string {
	if petition {
		return "信访事项受理告知书"
	}
	return "受理通知书"
}

// AcceptanceNotice renders the notice: one A4 page, the organ and the title centred, the case
// number as its 文号, the body, the QR code to the status page, the seal place and the date.
func AcceptanceNotice(n Notice) ([]byte, error) {
	title := NoticeTitle(n.Petition)
	s, err := newSheet(title, n.Number)
	if err != nil {
		return nil, err
	}
	if err := s.centered(n.Organ, sizeTitle); err != nil {
		return nil, err
	}
	if err := s.centered(title, sizeTitle); err != nil {
		return nil, err
	}
	s.gap(4)
	if err := s.centered("编号："+n.Number, sizeBody); err != nil {
		return nil, err
	}
	s.gap(6)
	s.pdf.SetStrokeColor(190, 40, 40)
	s.rule()
	s.pdf.SetStrokeColor(0, 0, 0)
	s.gap(14)
	if err := s.para(n.Resident+"：", false); err != nil {
		return nil, err
	}
	how := ""
	if n.Channel != "" {
		how = "通过" + n.Channel
	}
	what := fmt.Sprintf("“%s”%s事项", n.Subject, n.Matter)
	if n.Petition {
		what = fmt.Sprintf("“%s”信访事项", n.Subject)
	}
	body := []string{fmt.Sprintf("您于%s%s提出的%s（编号%s），本机关已于%s依法受理。", Date(n.ReceivedAt), how, what, n.Number, Date(n.AcceptedAt))}
	if n.Handler != "" && n.Handler != n.Organ {
		body = append(body, fmt.Sprintf("该事项由%s办理。", n.Handler))
	} else {
		body = append(body, "该事项由本机关办理。")
	}
	for _, l := range n.Limits {
		line := fmt.Sprintf("%s为%s", l.Name, l.Period)
		if l.Basis != "" {
			line = fmt.Sprintf("根据%s，%s", l.Basis, line)
		}
		if !l.Due.IsZero() {
			line += fmt.Sprintf("，至%s届满", Date(l.Due))
		}
		if l.Note != "" {
			line += "（" + strings.TrimSuffix(l.Note, "。") + "）"
		}
		body = append(body, line+"。")
	}
	if n.Petition {
		body = append(body, "办理期间，请您依法有序反映诉求，如实提供有关材料；对办理意见不服的，可以自收到书面答复之日起30日内请求原办理机关的上一级机关复查。")
	}
	body = append(body, "您可以扫描下方二维码，凭编号和登记电话的后四位查询办理进度，无需再到窗口。", "特此告知。")
	for _, p := range body {
		if err := s.para(p, true); err != nil {
			return nil, err
		}
	}
	s.gap(10)
	if err := s.qr(n.StatusURL, n.Number); err != nil {
		return nil, err
	}
	if err := s.seal(n.Organ, n.IssuedAt); err != nil {
		return nil, err
	}
	return s.bytes()
}

// qrSide is the printed side of the QR code in points (about 32 mm): scanned at arm's length.
const qrSide = 92.0

// qr prints the QR code of url on the left with what it is for beside it. The code is drawn
// as filled squares, not as a picture, so that it prints sharp at any resolution.
func (s *sheet) qr(url, number string) error {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("QR code: %w", err)
	}
	s.room(qrSide)
	modules := q.Bitmap() // with its quiet zone
	m := qrSide / float64(len(modules))
	s.pdf.SetFillColor(0, 0, 0)
	for r, row := range modules {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			end := c
			for end < len(row) && row[end] {
				end++
			}
			s.pdf.RectFromUpperLeftWithStyle(marginL+float64(c)*m, s.y+float64(r)*m, float64(end-c)*m, m, "F")
			c = end
		}
	}
	saved := s.y
	if err := s.setSize(sizeSmall); err != nil {
		return err
	}
	s.y += 18
	for _, l := range []string{"扫码查询办理进度", "编号：" + number} {
		if err := s.at(marginL+qrSide+10, textW/2, l, gopdf.Left); err != nil {
			return err
		}
		s.y += s.lineH()
	}
	s.y = saved + 4
	return s.setSize(s.body)
}
