package definitions

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// FieldType is the type of a case form field.
type FieldType string

// The field types.
const (
	FieldText       FieldType = "text"        // one line
	FieldLongText   FieldType = "long_text"   // several paragraphs
	FieldInteger    FieldType = "integer"     // a whole number
	FieldBoolean    FieldType = "boolean"     // yes or no
	FieldDate       FieldType = "date"        // YYYY-MM-DD
	FieldEnum       FieldType = "enum"        // one of Options
	FieldPhone      FieldType = "phone"       // a mainland mobile or landline number
	FieldResidentID FieldType = "resident_id" // 18-digit resident identity card number, checksum checked
	FieldOrgUnit    FieldType = "org_unit"    // the code of an org unit
	FieldDepartment FieldType = "department"  // the code of a department
)

// FieldTypes lists the field types.
var FieldTypes = []FieldType{FieldText, FieldLongText, FieldInteger, FieldBoolean, FieldDate, FieldEnum,
	FieldPhone, FieldResidentID, FieldOrgUnit, FieldDepartment}

// Form is the case form of a procedure: the data a case carries, field by field.
type Form []Field

// Field is one field of a case form and the rules its value must follow.
type Field struct {
	// Name is the key of the value in the case data and in rules (data.<name>).
	Name     string    `json:"name" yaml:"name"`
	Label    string    `json:"label" yaml:"label"`
	LabelEN  string    `json:"label_en,omitempty" yaml:"label_en,omitempty"`
	Type     FieldType `json:"type" yaml:"type"`
	Required bool      `json:"required,omitempty" yaml:"required,omitempty"`
	// MinLength and MaxLength count characters (a Chinese character is one) of text values.
	MinLength int `json:"min_length,omitempty" yaml:"min_length,omitempty"`
	MaxLength int `json:"max_length,omitempty" yaml:"max_length,omitempty"`
	// Pattern is a regular expression (Go RE2 syntax) the whole text value must match.
	Pattern string `json:"pattern,omitempty" yaml:"pattern,omitempty"`
	// Min and Max bound an integer value.
	Min     *int64   `json:"min,omitempty" yaml:"min,omitempty"`
	Max     *int64   `json:"max,omitempty" yaml:"max,omitempty"`
	Options []Option `json:"options,omitempty" yaml:"options,omitempty"`
	Help    string   `json:"help,omitempty" yaml:"help,omitempty"`
	// Personal marks a text field whose value identifies a resident (an address, a bank account,
	// a date of birth): it is masked like phone and resident ID numbers for the roles that do not
	// need it. Phone and resident ID fields are personal whatever this says.
	Personal bool `json:"personal,omitempty" yaml:"personal,omitempty"`
}

// IsPersonal reports whether the field's value is masked for the roles that do not need it: a
// phone or resident ID field, or one marked personal.
func (f Field) IsPersonal() bool {
	return f.Personal || f.Type == FieldPhone || f.Type == FieldResidentID
}

// Option is one choice of an enum field.
type Option struct {
	Value   string `json:"value" yaml:"value"`
	Label   string `json:"label" yaml:"label"`
	LabelEN string `json:"label_en,omitempty" yaml:"label_en,omitempty"`
}

// Field finds a field by name.
func (f Form) Field(name string) (Field, bool) {
	for _, x := range f {
		if x.Name == name {
			return x, true
		}
	}
	return Field{}, false
}

func (f Field) label() string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

var (
	mobileRe   = regexp.MustCompile(`^(\+?86)?1[3-9]\d{9}$`)
	landlineRe = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}(-\d{1,6})?$`)
)

// ValidPhone reports whether s is a mainland China mobile number (11 digits starting 13–19,
// optionally +86) or a landline with area code (0477-8123456). Spaces are ignored.
func ValidPhone(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	return mobileRe.MatchString(s) || landlineRe.MatchString(s)
}

// ValidResidentID reports whether s is a well-formed 18-character resident identity number
// (GB 11643-1999): 17 digits, a real date of birth, and the ISO 7064 MOD 11-2 check character
// (0–9 or X). It catches the typical typing mistake of one wrong or swapped digit.
func ValidResidentID(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		// weight of position i is 2^(17-i) mod 11
		sum += int(c-'0') * idWeights[i]
	}
	if want := "10X98765432"[sum%11]; want != s[17] && !(want == 'X' && s[17] == 'x') {
		return false
	}
	_, err := ParseDate(s[6:10] + "-" + s[10:12] + "-" + s[12:14])
	return err == nil
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// ValidateData checks submitted case data against the form: unknown fields, required fields,
// types, lengths, patterns, ranges, enum options, phone and resident ID formats. Each problem's
// Path is a JSON pointer such as "/data/phone". Codes of org units and departments are only
// checked for shape; Org.ValidateData also checks that they exist.
func ValidateData(form Form, data map[string]any) []Problem {
	return validateData(form, data, nil)
}

// ValidateData checks case data like the package-level ValidateData, and also that org unit
// and department fields name units and departments of o.
func (o *Org) ValidateData(form Form, data map[string]any) []Problem {
	return validateData(form, data, o)
}

func validateData(form Form, data map[string]any, org *Org) []Problem {
	var ps problems
	for _, k := range sortedKeys(data) {
		if _, ok := form.Field(k); !ok {
			ps.add("/data/"+k, "the form has no field %q", k)
		}
	}
	for _, f := range form {
		path := "/data/" + f.Name
		v, present := data[f.Name]
		if !present || v == nil || v == "" {
			if f.Required {
				ps.add(path, "%s is required", f.label())
			}
			continue
		}
		if msg := checkValue(f, v, org); msg != "" {
			ps.add(path, "%s %s", f.label(), msg)
		}
	}
	return ps
}

// checkValue is "" for a good value, otherwise the end of a sentence starting with the label.
func checkValue(f Field, v any, org *Org) string {
	switch f.Type {
	case FieldInteger:
		n, ok := asInt(v)
		if !ok {
			return "must be a whole number"
		}
		if f.Min != nil && n < *f.Min {
			return fmt.Sprintf("must be at least %d", *f.Min)
		}
		if f.Max != nil && n > *f.Max {
			return fmt.Sprintf("must be at most %d", *f.Max)
		}
		return ""
	case FieldBoolean:
		if _, ok := v.(bool); !ok {
			return "must be yes or no (true or false)"
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		return "must be text"
	}
	n := utf8.RuneCountInString(s)
	if f.MinLength > 0 && n < f.MinLength {
		return fmt.Sprintf("must be at least %d characters long", f.MinLength)
	}
	if f.MaxLength > 0 && n > f.MaxLength {
		return fmt.Sprintf("must be at most %d characters long", f.MaxLength)
	}
	if f.Pattern != "" {
		if re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`); err == nil && !re.MatchString(s) {
			return "is not in the expected format"
		}
	}
	switch f.Type {
	case FieldDate:
		if _, err := ParseDate(s); err != nil {
			return "must be a date written as YYYY-MM-DD"
		}
	case FieldEnum:
		if !slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == s }) {
			vals := make([]string, len(f.Options))
			for i, o := range f.Options {
				vals[i] = o.Value
			}
			return "must be one of " + strings.Join(vals, ", ")
		}
	case FieldPhone:
		if !ValidPhone(s) {
			return "is not a valid phone number (an 11-digit mobile number or a landline with area code)"
		}
	case FieldResidentID:
		if !ValidResidentID(s) {
			return "is not a valid 18-character resident ID number (check the digits and the last character)"
		}
	case FieldOrgUnit:
		if org != nil {
			if _, ok := org.Unit(s); !ok {
				return fmt.Sprintf("names no known org unit (%q)", s)
			}
		}
	case FieldDepartment:
		if org != nil {
			if _, ok := org.Department(s); !ok {
				return fmt.Sprintf("names no known department (%q)", s)
			}
		}
	}
	return ""
}

// asInt accepts the ways a whole number arrives: Go integers, and JSON numbers (float64 or
// json.Number) without a fraction.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// Complete is a copy of data ready for rules: every form field present (a missing one gets
// its type's zero value, so `data.amount > 0` works on an empty field) and whole numbers as int,
// the type rules are checked against. Unknown keys are dropped.
func (f Form) Complete(data map[string]any) map[string]any {
	out := make(map[string]any, len(f))
	for _, x := range f {
		v, ok := data[x.Name]
		switch x.Type {
		case FieldInteger:
			n, _ := asInt(v)
			out[x.Name] = int(n)
		case FieldBoolean:
			b, _ := v.(bool)
			out[x.Name] = b
		default:
			s, _ := v.(string)
			if !ok {
				s = ""
			}
			out[x.Name] = s
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
