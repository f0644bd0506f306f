package document

import (
	"time"

	"github.com/signintech/gopdf"
)

// Agreement is a mediation agreement (调解协议书, 人民调解法 Art.28–29): the parties, the
// matter in dispute, the terms they agreed, and the places for the parties, the mediator and the
// mediation committee's seal.
type Agreement struct {
	Number     string    // the case number, the agreement's 编号
	Committee  string    // the people's mediation committee, e.g. 嘎鲁图镇人民调解委员会
	Applicant  string    // 申请人
	Contact    string    // the applicant's phone, as the reader may see it (masked for some roles)
	Respondent string    // 对方当事人
	Kind       string    // the kind of dispute, e.g. 土地草场
	Facts      string    // 纠纷主要事实、争议事项
	Terms      string    // 协议内容: what the parties agreed
	AgreedAt   time.Time // when the agreement was reached
}

// sizeAgreement is the agreement's body size, 小四: its terms and the signature places fit one
// page as a rule.
const sizeAgreement = 12

// MediationAgreement renders the agreement on A4, as the justice ministry's model of the
// 人民调解协议书 lays it out.
func MediationAgreement(a Agreement) ([]byte, error) {
	const title = "人民调解协议书"
	s, err := newSheet(title, a.Number)
	if err != nil {
		return nil, err
	}
	if err := s.centered(a.Committee, sizeTitle); err != nil {
		return nil, err
	}
	if err := s.centered(title, sizeTitle); err != nil {
		return nil, err
	}
	s.gap(4)
	if err := s.centered("编号："+a.Number, sizeBody); err != nil {
		return nil, err
	}
	s.gap(12)
	s.body = sizeAgreement
	if err := s.setSize(s.body); err != nil {
		return nil, err
	}
	if err := s.labelled("申请人", a.Applicant); err != nil {
		return nil, err
	}
	if a.Contact != "" {
		if err := s.labelled("联系电话", a.Contact); err != nil {
			return nil, err
		}
	}
	if err := s.labelled("对方当事人", a.Respondent); err != nil {
		return nil, err
	}
	if a.Kind != "" {
		if err := s.labelled("纠纷类型", a.Kind); err != nil {
			return nil, err
		}
	}
	s.gap(6)
	sections := []struct{ head, text string }{
		{"一、纠纷主要事实、争议事项", a.Facts},
		{"二、经人民调解委员会调解，双方当事人自愿达成如下协议", a.Terms},
		{"三、履行与效力", "本协议自双方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效，" +
			"对双方当事人具有法律约束力，当事人应当按照约定履行。双方当事人认为有必要的，可以自本协议生效之日起三十日内" +
			"共同向人民法院申请司法确认（《中华人民共和国人民调解法》第三十三条）。\n本协议一式三份，双方当事人、人民调解委员会各持一份。"},
	}
	for _, sec := range sections {
		s.room(3 * s.lineH())
		if err := s.para(sec.head+"：", false); err != nil {
			return nil, err
		}
		if err := s.para(sec.text, true); err != nil {
			return nil, err
		}
		s.gap(4)
	}
	s.gap(10)
	if err := s.signatures(); err != nil {
		return nil, err
	}
	if err := s.seal(a.Committee, a.AgreedAt); err != nil {
		return nil, err
	}
	if err := s.footers(title + "　" + a.Number); err != nil {
		return nil, err
	}
	return s.bytes()
}

// signatures are the places the parties and the mediator sign, side by side, with room to sign.
func (s *sheet) signatures() error {
	s.room(5 * s.lineH())
	half := textW / 2
	for _, row := range [][2]string{
		{"申请人（签名、盖章或按指印）：", "对方当事人（签名、盖章或按指印）："},
		{"人民调解员（签名）：", "记录人（签名）："},
	} {
		if err := s.at(marginL, half, row[0], gopdf.Left); err != nil {
			return err
		}
		if err := s.at(marginL+half, half, row[1], gopdf.Left); err != nil {
			return err
		}
		s.y += 2 * s.lineH()
		s.pdf.SetLineWidth(0.4)
		s.pdf.SetLineType("")
		s.pdf.Line(marginL+20, s.y-s.lineH()*0.4, marginL+half-20, s.y-s.lineH()*0.4)
		s.pdf.Line(marginL+half+20, s.y-s.lineH()*0.4, pageW-marginR-10, s.y-s.lineH()*0.4)
		s.y += 6
	}
	return nil
}
