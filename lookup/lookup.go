// Package lookup finds a resident's other matters (一人多事, 重复访) without an index of their
// personal data: a resident ID number or a phone number is kept, for the lookup, only as its
// keyed hash (HMAC-SHA256 under a secret key the database never sees), so a copy of the
// database alone cannot tell whose cases they are, nor try every number against them.
package lookup

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/internal/devfile"
)

// Kind is what an identifier is.
type Kind string

// The kinds of identifiers a resident is looked up by.
const (
	IDNumber Kind = "id_number" // a resident identity card number
	Phone    Kind = "phone"     // a mobile or landline number
)

// MinKeyBytes is the shortest secret key accepted.
const MinKeyBytes = 32

// Key is the secret key of the lookup hashes. Every API node of a deployment must have the same
// one: a hash made under another key finds nothing.
type Key struct{ secret []byte }

// ParseKey reads a key written in standard base64, of at least MinKeyBytes bytes.
func ParseKey(text string) (*Key, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		return nil, fmt.Errorf("lookup key: not base64: %w", err)
	}
	if len(b) < MinKeyBytes {
		return nil, fmt.Errorf("lookup key: %d bytes; at least %d", len(b), MinKeyBytes)
	}
	return &Key{secret: b}, nil
}

// NewKeyText is a new random key in base64, as ParseKey reads it.
func NewKeyText() (string, error) {
	b := make([]byte, MinKeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// DevKeyFile is the file of the development key in the data folder of `onedoor dev`.
const DevKeyFile = "lookup-key"

// DevKey is the key in dataDir/DevKeyFile, made on first use.
func DevKey(dataDir string) (*Key, error) {
	b, err := devfile.ReadOrCreate(filepath.Join(dataDir, DevKeyFile), func() (string, error) {
		text, err := NewKeyText()
		return text + "\n", err
	})
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	return ParseKey(string(b))
}

// Hash is the keyed hash of an identifier of the kind, after normalising it (Normalize); nil
// when the value is no such identifier.
func (k *Key) Hash(kind Kind, value string) []byte {
	v, ok := Normalize(kind, value)
	if !ok {
		return nil
	}
	mac := hmac.New(sha256.New, k.secret)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(v))
	return mac.Sum(nil)
}

// Normalize writes an identifier the one way it is hashed: a resident ID number without spaces,
// its check character in capitals, and only when its checksum holds; a phone number as its
// digits, without the country code 86 of a mainland mobile. ok is false for a value that is no
// identifier of the kind: it is never looked up, so it never finds anyone.
func Normalize(kind Kind, value string) (string, bool) {
	v := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' { // 0477-8123456 is 04778123456
			return -1
		}
		return unicode.ToUpper(r)
	}, value)
	switch kind {
	case IDNumber:
		return v, definitions.ValidResidentID(v)
	case Phone:
		if !definitions.ValidPhone(value) {
			return "", false
		}
		v = strings.TrimPrefix(v, "+")
		if len(v) == 13 && strings.HasPrefix(v, "861") {
			v = v[2:]
		}
		return v, true
	}
	return "", false
}

// Identifiers are the resident's identifiers in a case's data: the values of the form's fields
// of type resident_id and phone, by kind. The form says which fields those are, so a number in a
// free-text field is never taken for the resident's.
func Identifiers(form []definitions.Field, data map[string]any) map[Kind][]string {
	out := map[Kind][]string{}
	for _, f := range form {
		var kind Kind
		switch f.Type {
		case definitions.FieldResidentID:
			kind = IDNumber
		case definitions.FieldPhone:
			kind = Phone
		default:
			continue
		}
		if s, ok := data[f.Name].(string); ok && strings.TrimSpace(s) != "" {
			out[kind] = append(out[kind], s)
		}
	}
	return out
}

// Hashed is one identifier's keyed hash.
type Hashed struct {
	Kind Kind
	Hash []byte
}

// HashAll hashes the identifiers, leaving out the values that are none.
func (k *Key) HashAll(ids map[Kind][]string) []Hashed {
	var out []Hashed
	for _, kind := range []Kind{IDNumber, Phone} {
		for _, v := range ids[kind] {
			if h := k.Hash(kind, v); h != nil {
				out = append(out, Hashed{Kind: kind, Hash: h})
			}
		}
	}
	return out
}
