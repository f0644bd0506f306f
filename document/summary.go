package document

import (
	"time"

	"github.com/signintech/gopdf"
)

// Summary is a case's file summary (案件办理情况摘要): what the matter is, where it stands, its
// timeline, its due dates with how each was counted, and how it ended.
type Summary struct {
	Number     string
	Organ      string // the organ holding the case now, which the summary is of
	Matter     string // e.g. 信访
	Procedure  string // e.g. 信访事项办理（第1版）
	Subject    string
	Resident   string
	Channel    string
	ReceivedAt time.Time
	ReceivedBy string
	Status     string // e.g. 办理中, 已办结
	Step       string // the current step, while open
	Level      string // e.g. 苏木镇
	Outcome    string // how it was closed, e.g. 出具书面处理意见（已解决）
	Result     string // what was recorded on closing
	Data       []Field
	Timeline   []Entry
	Deadlines  []Deadline
	PrintedAt  time.Time
	PrintedBy  string
}

// Field is one line of the intake data as its reader may see it.
type Field struct{ Label, Value string }

// Entry is one line of the timeline.
type Entry struct {
	At     time.Time
	Actor  string
	Action string
	Reason string
}

// Deadline is a due date of the case: a statutory period or a step's target.
type Deadline struct {
	Name        string // the period or the step
	Period      string // e.g. 15工作日
	Basis       string
	Due         time.Time
	State       string // e.g. 进行中, 按期完成, 逾期
	Explanation string // how the due date was counted
}

// CaseSummary renders the summary: the facts of the case, then the timeline and the due dates as
// tables, paged with 第N页 共M页.
func CaseSummary(c Summary) ([]byte, error) {
	const title = "案件办理情况摘要"
	s, err := newSheet(title, c.Number)
	if err != nil {
		return nil, err
	}
	if err := s.centered(title, sizeTitle); err != nil {
		return nil, err
	}
	s.gap(4)
	if err := s.centered("编号："+c.Number, sizeBody); err != nil {
		return nil, err
	}
	s.gap(10)
	if err := s.setSize(12); err != nil {
		return nil, err
	}
	facts := []Field{
		{"事项", c.Matter}, {"办理流程", c.Procedure}, {"事由", c.Subject}, {"当事人", c.Resident},
		{"来源", c.Channel}, {"受理时间", DateTime(c.ReceivedAt)}, {"受理单位", c.ReceivedBy},
		{"办理状态", c.Status},
	}
	if c.Step != "" {
		facts = append(facts, Field{"当前环节", c.Step})
	}
	facts = append(facts, Field{"承办单位", c.Organ}, Field{"所在层级", c.Level})
	if c.Outcome != "" {
		facts = append(facts, Field{"办理结果", c.Outcome})
	}
	if c.Result != "" {
		facts = append(facts, Field{"结果说明", c.Result})
	}
	facts = append(facts, c.Data...)
	for _, f := range facts {
		if err := s.labelled(f.Label, f.Value); err != nil {
			return nil, err
		}
	}
	if err := s.heading("一、办理经过"); err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(c.Timeline))
	for _, e := range c.Timeline {
		rows = append(rows, []string{DateTime(e.At), e.Actor, e.Action, e.Reason})
	}
	if err := s.table([]string{"时间", "办理人", "操作", "说明"}, []float64{0.28, 0.17, 0.15, 0.40}, rows); err != nil {
		return nil, err
	}
	if err := s.heading("二、期限"); err != nil {
		return nil, err
	}
	rows = rows[:0]
	for _, d := range c.Deadlines {
		name := d.Name
		if d.Basis != "" {
			name += "\n" + d.Basis
		}
		rows = append(rows, []string{name, d.Period, Date(d.Due), d.State, d.Explanation})
	}
	if err := s.table([]string{"期限", "时长", "届满日", "状态", "计算说明"}, []float64{0.25, 0.08, 0.17, 0.11, 0.39}, rows); err != nil {
		return nil, err
	}
	s.gap(12)
	if err := s.setSize(sizeSmall); err != nil {
		return nil, err
	}
	if err := s.right("打印："+c.PrintedBy+"　"+DateTime(c.PrintedAt), 0); err != nil {
		return nil, err
	}
	if err := s.footers(title + "　" + c.Number); err != nil {
		return nil, err
	}
	return s.bytes()
}

// heading writes a section heading in the body size.
func (s *sheet) heading(text string) error {
	s.gap(8)
	if err := s.setSize(sizeBody); err != nil {
		return err
	}
	s.room(3 * s.lineH())
	if err := s.para(text, false); err != nil {
		return err
	}
	return s.setSize(sizeSmall)
}

// table draws rows under a header in columns of the given shares of the text width, each cell
// wrapped, a row that does not fit moved whole to the next page with the header repeated.
func (s *sheet) table(head []string, shares []float64, rows [][]string) error {
	if err := s.setSize(sizeSmall); err != nil {
		return err
	}
	const pad = 3
	widths := make([]float64, len(shares))
	for i, f := range shares {
		widths[i] = f * textW
	}
	var draw func(cells []string, header bool) error
	draw = func(cells []string, header bool) error {
		wrapped := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			var lines []string
			for _, p := range splitLines(c) {
				l, err := s.wrap(p, widths[i]-2*pad)
				if err != nil {
					return err
				}
				lines = append(lines, l...)
			}
			wrapped[i] = lines
			n = max(n, len(lines))
		}
		lh := s.size * 1.4
		h := float64(n)*lh + 2*pad
		if s.y+h > pageH-marginB {
			s.newPage()
			if !header {
				if err := draw(head, true); err != nil {
					return err
				}
			}
		}
		return drawCells(s, wrapped, widths, h, lh, pad, header)
	}
	s.room(4 * s.size * 1.4) // the header with a row under it
	if err := draw(head, true); err != nil {
		return err
	}
	if len(rows) == 0 {
		row := make([]string, len(head))
		row[0] = "无"
		return draw(row, false)
	}
	for _, r := range rows {
		if err := draw(r, false); err != nil {
			return err
		}
	}
	return nil
}

// drawCells draws one row of wrapped cells h high and moves below it.
func drawCells(s *sheet, cells [][]string, widths []float64, h, lh, pad float64, header bool) error {
	x := marginL
	s.pdf.SetLineWidth(0.5)
	s.pdf.SetLineType("")
	for i, lines := range cells {
		if header {
			s.pdf.SetFillColor(235, 235, 235)
			s.pdf.RectFromUpperLeftWithStyle(x, s.y, widths[i], h, "FD")
			s.pdf.SetFillColor(0, 0, 0) // text is painted with the fill colour
		} else {
			s.pdf.RectFromUpperLeftWithStyle(x, s.y, widths[i], h, "D")
		}
		for j, l := range lines {
			s.pdf.SetXY(x+pad, s.y+pad+float64(j)*lh)
			if err := s.pdf.CellWithOption(&gopdf.Rect{W: widths[i] - 2*pad, H: lh}, l, gopdf.CellOption{Align: gopdf.Left | gopdf.Middle}); err != nil {
				return err
			}
		}
		x += widths[i]
	}
	s.y += h
	return nil
}

func splitLines(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == '\n' {
			out = append(out, text[start:i])
			start = i + 1
		}
	}
	return append(out, text[start:])
}
