// Package document renders the papers a case produces as PDF, laid out as such papers are in
// China: the acceptance notice (受理告知书), the mediation agreement (调解协议书) and the case's
// file summary (案件办理情况摘要). It takes plain values in domain terms and knows nothing of
// HTTP or the database; the API fills them from a case as its reader may see it.
package document

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/signintech/gopdf"

	"github.com/onedoor/onedoor/definitions"
)

// fontGz is Noto Sans SC Regular cut to the CJK Unified Ideographs block, the CJK symbols and
// punctuation, full-width forms and Latin (font/README.md says how), gzipped: a TrueType
// (glyf) font, which gopdf needs, under the SIL Open Font License (font/OFL.txt).
//
//go:embed font/NotoSansSC-Regular.ttf.gz
var fontGz []byte

var (
	fontOnce sync.Once
	fontTTF  []byte
	fontErr  error
)

// font is the TrueType font, unzipped once.
func font() ([]byte, error) {
	fontOnce.Do(func() {
		r, err := gzip.NewReader(bytes.NewReader(fontGz))
		if err != nil {
			fontErr = err
			return
		}
		fontTTF, fontErr = io.ReadAll(r)
	})
	return fontTTF, fontErr
}

// Page geometry in points: A4, with margins near those of GB/T 9704 (the layout of official
// papers: 37 mm top, 28 mm left, 26 mm right, 35 mm bottom), the top a little less so that a
// notice fits one page.
const (
	pageW, pageH = 595.28, 841.89
	marginL      = 79.4
	marginR      = 73.7
	marginT      = 90
	marginB      = 99.2
	textW        = pageW - marginL - marginR
)

// Type sizes: 二号 for titles, 四号 for the body, 五号 for tables and notes.
const (
	sizeTitle = 22
	sizeBody  = 14
	sizeSmall = 10.5
)

const family = "noto"

// missingGlyph stands in for a character the font lacks (an ideograph outside the basic block):
// a white square, as typesetters mark a character to be written in by hand.
const missingGlyph = '□'

// sheet is a document being written: the PDF and the position of the next line.
type sheet struct {
	pdf  *gopdf.GoPdf
	y    float64
	size float64 // of the text being written
	body float64 // of the body text
}

func newSheet(title, subject string) (*sheet, error) {
	ttf, err := font()
	if err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Subject: subject, Creator: "OneDoor", Producer: "OneDoor"})
	if err := pdf.AddTTFFontDataWithOption(family, ttf, gopdf.TtfOption{
		OnGlyphNotFoundSubstitute: func(rune) rune { return missingGlyph },
	}); err != nil {
		return nil, fmt.Errorf("font: %w", err)
	}
	s := &sheet{pdf: pdf, body: sizeBody}
	s.newPage()
	return s, s.setSize(sizeBody)
}

func (s *sheet) newPage() {
	s.pdf.AddPage()
	s.y = marginT
}

func (s *sheet) setSize(size float64) error {
	s.size = size
	return s.pdf.SetFont(family, "", size)
}

// lineH is the height of a line of the current size: 1.6 times it, roomy as official papers are.
func (s *sheet) lineH() float64 { return s.size * 1.6 }

// room starts a new page unless h points fit above the bottom margin.
func (s *sheet) room(h float64) {
	if s.y+h > pageH-marginB {
		s.newPage()
	}
}

// gap moves down by h points.
func (s *sheet) gap(h float64) { s.y += h }

// at writes text at x on the current line, aligned by align (gopdf.Left, Center, Right) in the
// width w from x.
func (s *sheet) at(x, w float64, text string, align int) error {
	s.pdf.SetXY(x, s.y)
	return s.pdf.CellWithOption(&gopdf.Rect{W: w, H: s.lineH()}, text, gopdf.CellOption{Align: align | gopdf.Middle})
}

// centered writes one centred line in size.
func (s *sheet) centered(text string, size float64) error {
	if err := s.setSize(size); err != nil {
		return err
	}
	lines, err := s.wrap(text, textW)
	if err != nil {
		return err
	}
	for _, l := range lines {
		s.room(s.lineH())
		if err := s.at(marginL, textW, l, gopdf.Center); err != nil {
			return err
		}
		s.y += s.lineH()
	}
	return nil
}

// right writes one line aligned to the right margin, less inset points.
func (s *sheet) right(text string, inset float64) error {
	s.room(s.lineH())
	if err := s.at(marginL, textW-inset, text, gopdf.Right); err != nil {
		return err
	}
	s.y += s.lineH()
	return nil
}

// para writes a paragraph in the current size: each line of text (split at line breaks) a
// paragraph of its own, its first line indented by two characters when indent.
func (s *sheet) para(text string, indent bool) error {
	return s.paraAt(marginL, textW, text, indent)
}

func (s *sheet) paraAt(x, w float64, text string, indent bool) error {
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if indent {
			p = "\u3000\u3000" + strings.TrimLeft(p, " \u3000")
		}
		lines, err := s.wrap(p, w)
		if err != nil {
			return err
		}
		for _, l := range lines {
			s.room(s.lineH())
			if err := s.at(x, w, l, gopdf.Left); err != nil {
				return err
			}
			s.y += s.lineH()
		}
	}
	return nil
}

// labelled writes "label：value" with the value's lines indented under the value's start.
func (s *sheet) labelled(label, value string) error {
	label += "："
	lw, err := s.pdf.MeasureTextWidth(label)
	if err != nil {
		return err
	}
	if value == "" {
		value = "—"
	}
	lines, err := s.wrap(value, textW-lw)
	if err != nil {
		return err
	}
	for i, l := range lines {
		s.room(s.lineH())
		if i == 0 {
			if err := s.at(marginL, lw, label, gopdf.Left); err != nil {
				return err
			}
		}
		if err := s.at(marginL+lw, textW-lw, l, gopdf.Left); err != nil {
			return err
		}
		s.y += s.lineH()
	}
	return nil
}

// closing are the characters a line must not start with (避头): they hang at the end of the
// line before instead, as Chinese typesetting does.
const closing = "，。、；：？！）》」』”’】〕…,.;:?!)"

// wrap breaks text into lines no wider than w, keeping closing punctuation off a line's start.
func (s *sheet) wrap(text string, w float64) ([]string, error) {
	if text == "" {
		return []string{""}, nil
	}
	lines, err := s.pdf.SplitText(text, w)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(lines); i++ {
		for lines[i] != "" && strings.ContainsRune(closing, []rune(lines[i])[0]) {
			r := []rune(lines[i])
			lines[i-1] += string(r[0])
			lines[i] = string(r[1:])
		}
	}
	out := lines[:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

// rule draws a horizontal line across the text width.
func (s *sheet) rule() {
	s.pdf.SetLineWidth(0.6)
	s.pdf.SetLineType("")
	s.pdf.Line(marginL, s.y, pageW-marginR, s.y)
}

// seal marks where the organ's seal goes: a dashed circle with the organ's name under it, the
// date beneath; the seal is stamped over the name and the date (骑年盖月).
func (s *sheet) seal(organ string, date time.Time) error {
	s.room(4 * s.lineH())
	const d = 84
	cx := pageW - marginR - 70
	s.pdf.SetLineWidth(0.5)
	s.pdf.SetLineType("dashed")
	s.pdf.SetStrokeColor(190, 40, 40)
	s.pdf.Oval(cx-d/2, s.y, cx+d/2, s.y+d)
	s.pdf.SetStrokeColor(0, 0, 0)
	s.pdf.SetLineType("")
	s.pdf.SetTextColor(190, 40, 40)
	if err := s.setSize(sizeSmall); err != nil {
		return err
	}
	saved := s.y
	s.y += d/2 - s.lineH()/2
	if err := s.at(cx-d/2, d, "（印章）", gopdf.Center); err != nil {
		return err
	}
	s.pdf.SetTextColor(0, 0, 0)
	s.y = saved + d*0.55
	if err := s.setSize(s.body); err != nil {
		return err
	}
	if err := s.right(organ, 0); err != nil {
		return err
	}
	return s.right(Date(date), 0)
}

// footers numbers the pages, 第N页 共M页, once every page is written.
func (s *sheet) footers(label string) error {
	n := s.pdf.GetNumberOfPages()
	for i := 1; i <= n; i++ {
		if err := s.pdf.SetPage(i); err != nil {
			return err
		}
		if err := s.setSize(sizeSmall); err != nil {
			return err
		}
		s.y = pageH - marginB + 24
		text := fmt.Sprintf("第%d页 共%d页", i, n)
		if label != "" {
			text = label + "　" + text
		}
		if err := s.at(marginL, textW, text, gopdf.Center); err != nil {
			return err
		}
	}
	return nil
}

func (s *sheet) bytes() ([]byte, error) {
	var b bytes.Buffer
	if _, err := s.pdf.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Date writes the day of t as official papers do, in Asia/Shanghai: 2026年1月5日.
func Date(t time.Time) string {
	if t.IsZero() {
		return "　　年　　月　　日"
	}
	t = t.In(definitions.Shanghai)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// DateTime writes t to the minute in Asia/Shanghai: 2026年1月5日 09:30.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return Date(t) + " " + t.In(definitions.Shanghai).Format("15:04")
}
