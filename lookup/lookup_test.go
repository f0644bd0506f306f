package lookup

import (
	"bytes"
	"testing"

	"github.com/onedoor/onedoor/definitions"
)

func testKey(t *testing.T) *Key {
	t.Helper()
	k, err := ParseKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=") // 32 bytes
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestTheSameIdentifierWrittenDifferentlyHashesTheSame(t *testing.T) {
	k := testKey(t)
	for _, c := range []struct {
		kind Kind
		a, b string
	}{
		{IDNumber, "15062719800101014X", "15062719800101014x"},
		{IDNumber, "15062719800101014X", " 150627 19800101 014X "},
		{Phone, "13800138000", "+86 138 0013 8000"},
		{Phone, "13800138000", "+8613800138000"},
		{Phone, "0477-8123456", "04778123456"},
	} {
		ha, hb := k.Hash(c.kind, c.a), k.Hash(c.kind, c.b)
		if ha == nil || !bytes.Equal(ha, hb) {
			t.Errorf("%s %q and %q hash differently (%x, %x)", c.kind, c.a, c.b, ha, hb)
		}
	}
}

func TestADifferentIdentifierNeverHashesTheSame(t *testing.T) {
	k := testKey(t)
	id := k.Hash(IDNumber, "15062719800101014X")
	if bytes.Equal(id, k.Hash(IDNumber, "150627198001010027")) {
		t.Error("two resident ID numbers hash the same")
	}
	// The same digits as another kind are another identifier.
	if bytes.Equal(k.Hash(Phone, "13800138000"), k.Hash(IDNumber, "13800138000")) {
		t.Error("a phone and an ID number of the same digits hash the same")
	}
	other, _ := ParseKey("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=")
	if bytes.Equal(id, other.Hash(IDNumber, "15062719800101014X")) {
		t.Error("two keys give the same hash")
	}
}

func TestWhatIsNoIdentifierIsNeverHashed(t *testing.T) {
	k := testKey(t)
	for _, c := range []struct {
		kind Kind
		v    string
	}{
		{IDNumber, "150627198001010010"}, // wrong check character
		{IDNumber, "1506271980010100"},
		{IDNumber, ""},
		{Phone, "12345"},
		{Phone, "138001380001"},
		{Phone, "一三八"},
		{Kind("email"), "13800138000"},
	} {
		if h := k.Hash(c.kind, c.v); h != nil {
			t.Errorf("%s %q hashed", c.kind, c.v)
		}
	}
}

func TestIdentifiersComeFromTheFormsTypedFields(t *testing.T) {
	form := []definitions.Field{
		{Name: "phone", Type: definitions.FieldPhone},
		{Name: "id_number", Type: definitions.FieldResidentID},
		{Name: "note", Type: definitions.FieldText},
	}
	ids := Identifiers(form, map[string]any{"phone": "13800138000", "id_number": "15062719800101014X", "note": "13900139000"})
	if len(ids[Phone]) != 1 || ids[Phone][0] != "13800138000" || len(ids[IDNumber]) != 1 {
		t.Fatalf("identifiers %v", ids)
	}
	if got := testKey(t).HashAll(ids); len(got) != 2 || got[0].Kind != IDNumber || got[1].Kind != Phone {
		t.Fatalf("hashed %v", got)
	}
}

func TestKeysMustBeLongEnough(t *testing.T) {
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Error("a 5-byte key accepted")
	}
	if _, err := ParseKey("not base64!"); err == nil {
		t.Error("a key that is no base64 accepted")
	}
	dir := t.TempDir()
	a, err := DevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := DevKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Hash(Phone, "13800138000"), b.Hash(Phone, "13800138000")) {
		t.Error("the development key changed between starts")
	}
}
