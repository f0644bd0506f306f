package definitions

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidResidentID(t *testing.T) {
	t.Parallel()
	require.True(t, ValidResidentID("11010519491231002X"))
	require.True(t, ValidResidentID("11010519491231002x"))
	require.False(t, ValidResidentID("11010519491231003X"), "one wrong digit")
	require.False(t, ValidResidentID("11010519491321002X"), "digits swapped: no 13th month, bad checksum")
	require.False(t, ValidResidentID("1101051949123100"), "too short")
	require.False(t, ValidResidentID("1101051949123100AX"))
}

func TestValidPhone(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"13912345678", "+8613912345678", "0477-8123456", "04778123456", "139 1234 5678"} {
		require.True(t, ValidPhone(s), s)
	}
	for _, s := range []string{"12912345678", "1391234567", "8123456", "phone"} {
		require.False(t, ValidPhone(s), s)
	}
}

func TestValidateData(t *testing.T) {
	t.Parallel()
	f := setup(t)
	p, err := Parse([]byte(f.yaml))
	require.NoError(t, err)

	var good map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{"applicant": "巴特尔", "phone": "13912345678", "id_number": "11010519491231002X",
		"area_mu": 120, "kind": "boundary", "facts": "两户牧民对草场边界有争议，请求调处。"}`), &good))
	require.Empty(t, ValidateData(p.Form, good))
	require.Empty(t, f.org.ValidateData(p.Form, good))

	bad := map[string]any{
		"phone": "12345", "id_number": "11010519491231003X", "area_mu": 1.5, "households": 0,
		"kind": "water", "facts": "太短", "colour": "red",
	}
	require.Equal(t, []Problem{
		{Path: "/data/colour", Message: `the form has no field "colour"`},
		{Path: "/data/applicant", Message: "申请人 is required"},
		{Path: "/data/phone", Message: "联系电话 is not a valid phone number (an 11-digit mobile number or a landline with area code)"},
		{Path: "/data/id_number", Message: "身份证号 is not a valid 18-character resident ID number (check the digits and the last character)"},
		{Path: "/data/area_mu", Message: "争议面积（亩） must be a whole number"},
		{Path: "/data/households", Message: "涉及户数 must be at least 1"},
		{Path: "/data/kind", Message: "争议类型 must be one of boundary, grazing"},
		{Path: "/data/facts", Message: "事实与请求 must be at least 10 characters long"},
	}, ValidateData(p.Form, bad))

	form := Form{{Name: "unit", Label: "单位", Type: FieldOrgUnit}, {Name: "dept", Label: "部门", Type: FieldDepartment}}
	data := map[string]any{"unit": "galutu-v99", "dept": "justice"}
	require.Empty(t, ValidateData(form, data))
	require.Equal(t, []Problem{{Path: "/data/unit", Message: `单位 names no known org unit ("galutu-v99")`}}, f.org.ValidateData(form, data))
}

func TestPersonalFields(t *testing.T) {
	t.Parallel()
	require.True(t, Field{Name: "contact_phone", Type: FieldPhone}.IsPersonal(), "by type, whatever the name")
	require.True(t, Field{Name: "guardian_id", Type: FieldResidentID}.IsPersonal())
	require.True(t, Field{Name: "home_address", Type: FieldText, Personal: true}.IsPersonal())
	require.False(t, Field{Name: "phone_model", Type: FieldText}.IsPersonal())
}
