// Package codec encrypts what OneDoor hands to Temporal: every payload (workflow inputs, update
// arguments and results, activity inputs and results, query answers) is sealed with AES-256-GCM
// before it leaves the process, so residents' names, phone and ID numbers, facts and reports sit
// in Temporal's database as ciphertext. Keys have ids: new payloads use the newest key, and
// payloads sealed with an older key still open as long as that key is kept. A payload without
// this codec's encoding (written before encryption was turned on, or by a test without it)
// passes through untouched.
package codec

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor/internal/devfile"
)

// Metadata of a sealed payload.
const (
	// Encoding is the encoding of a sealed payload; its data are nonce || ciphertext of the
	// original payload, marshalled.
	Encoding = "binary/encrypted"
	// MetaKeyID names the key that sealed the payload.
	MetaKeyID = "encryption-key-id"
	// MetaCipher names the algorithm.
	MetaCipher = "encryption-cipher"
)

// Algorithms a key may use.
const (
	AES256GCM = "aes-256-gcm"
)

// Key is one key of a key ring.
type Key struct {
	ID        string
	Algorithm string
	Secret    []byte
}

// Codec seals and opens payloads with a key ring: a converter.PayloadCodec.
type Codec struct {
	newest string
	aeads  map[string]aeadKey
}

type aeadKey struct {
	alg  string
	aead cipher.AEAD
}

var _ converter.PayloadCodec = (*Codec)(nil)

// New is a codec over the keys; the last one seals new payloads.
func New(keys []Key) (*Codec, error) {
	if len(keys) == 0 {
		return nil, errors.New("codec: no key")
	}
	c := &Codec{aeads: map[string]aeadKey{}}
	for _, k := range keys {
		if k.ID == "" || strings.ContainsAny(k.ID, " \t\n") {
			return nil, fmt.Errorf("codec: key id %q: want a word without spaces", k.ID)
		}
		if _, dup := c.aeads[k.ID]; dup {
			return nil, fmt.Errorf("codec: key id %q twice", k.ID)
		}
		aead, err := newAEAD(k)
		if err != nil {
			return nil, err
		}
		c.aeads[k.ID] = aeadKey{alg: k.Algorithm, aead: aead}
		c.newest = k.ID
	}
	return c, nil
}

func newAEAD(k Key) (cipher.AEAD, error) {
	switch k.Algorithm {
	case AES256GCM:
		if len(k.Secret) != 32 {
			return nil, fmt.Errorf("codec: key %s: %s wants 32 bytes, not %d", k.ID, k.Algorithm, len(k.Secret))
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(block)
	}
	if f, ok := otherCiphers[k.Algorithm]; ok {
		return f(k)
	}
	return nil, fmt.Errorf("codec: key %s: unknown algorithm %q (want %s)", k.ID, k.Algorithm, strings.Join(Algorithms(), " or "))
}

// otherCiphers are the algorithms beyond AES-256-GCM, by name.
var otherCiphers = map[string]func(Key) (cipher.AEAD, error){}

// Algorithms are the names of the algorithms a key may use.
func Algorithms() []string {
	names := []string{AES256GCM}
	for n := range otherCiphers {
		names = append(names, n)
	}
	return names
}

// Newest is the id of the key that seals new payloads.
func (c *Codec) Newest() string { return c.newest }

// Encode seals each payload with the newest key. The key id is also the additional data of
// the seal, so a payload's metadata cannot be pointed at another key.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	k := c.aeads[c.newest]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return nil, fmt.Errorf("codec: marshal payload: %w", err)
		}
		sealed := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(plain)+k.aead.Overhead())
		if _, err := rand.Read(sealed); err != nil {
			return nil, err
		}
		sealed = k.aead.Seal(sealed, sealed, plain, []byte(c.newest))
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetaKeyID:                  []byte(c.newest),
				MetaCipher:                 []byte(k.alg),
			},
			Data: sealed,
		}
	}
	return out, nil
}

// Decode opens each sealed payload with the key it names; a payload of another encoding is
// returned as it is.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetaKeyID])
		k, ok := c.aeads[id]
		if !ok {
			return nil, fmt.Errorf("codec: payload sealed with key %q, which this process does not have: add it to the key ring", id)
		}
		n := k.aead.NonceSize()
		if len(p.GetData()) < n {
			return nil, errors.New("codec: sealed payload too short")
		}
		plain, err := k.aead.Open(nil, p.GetData()[:n], p.GetData()[n:], []byte(id))
		if err != nil {
			return nil, fmt.Errorf("codec: open payload sealed with key %q: %w", id, err)
		}
		var orig commonpb.Payload
		if err := orig.Unmarshal(plain); err != nil {
			return nil, fmt.Errorf("codec: unmarshal payload: %w", err)
		}
		out[i] = &orig
	}
	return out, nil
}

// DataConverter is Temporal's default data converter with the codec under it: what a client
// and its workers need.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// FailureConverter is Temporal's default failure converter with the messages and stack traces
// of failures sealed too (EncodeCommonAttributes): an error may quote what it failed on (a
// database error naming a value, a refusal quoting a field), and failures sit in the histories
// beside the payloads. Clients with the codec open them again; Temporal's own store and UI see
// "Encoded failure".
func (c *Codec) FailureConverter() converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          c.DataConverter(),
		EncodeCommonAttributes: true,
	})
}

// ParseKeys reads a key ring: one key a line, `ID ALGORITHM BASE64-SECRET`, oldest first (the
// last seals new payloads); `;` also separates keys, so that a ring fits in one environment
// variable; blank lines and lines starting with # are skipped.
func ParseKeys(text string) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(strings.TrimSpace(sc.Text()), "#") {
			continue
		}
		for _, s := range strings.Split(sc.Text(), ";") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			f := strings.Fields(s)
			if len(f) != 3 {
				return nil, fmt.Errorf("codec: key line %d: want ID ALGORITHM BASE64-SECRET", line)
			}
			secret, err := base64.StdEncoding.DecodeString(f[2])
			if err != nil {
				return nil, fmt.Errorf("codec: key line %d (%s): secret: %w", line, f[0], err)
			}
			keys = append(keys, Key{ID: f[0], Algorithm: f[1], Secret: secret})
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("codec: no key in the key ring")
	}
	return keys, nil
}

// NewKeyLine is a key ring line for a new random key of the algorithm, called id.
func NewKeyLine(id, algorithm string) (string, error) {
	size := map[string]int{AES256GCM: 32, SM4GCM: 16}[algorithm]
	if size == 0 {
		return "", fmt.Errorf("codec: unknown algorithm %q", algorithm)
	}
	secret := make([]byte, size)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s %s", id, algorithm, base64.StdEncoding.EncodeToString(secret)), nil
}

// DevKeyFile is where `onedoor dev` keeps its key ring in the data folder.
const DevKeyFile = "codec-keys"

// DevKeys reads the key ring of the data folder, creating it with one AES-256-GCM key on first
// use.
func DevKeys(dataDir string) ([]Key, error) {
	b, err := devfile.ReadOrCreate(filepath.Join(dataDir, DevKeyFile), func() (string, error) {
		line, err := NewKeyLine("dev-1", AES256GCM)
		return "# OneDoor's payload keys (ID ALGORITHM BASE64-SECRET), oldest first; the last seals new payloads.\n" + line + "\n", err
	})
	if err != nil {
		return nil, fmt.Errorf("codec: %w", err)
	}
	return ParseKeys(string(b))
}
