package codec_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/onedoor/onedoor/codec"
)

func ring(t *testing.T, specs ...[2]string) []codec.Key {
	t.Helper()
	var lines []string
	for _, s := range specs {
		line, err := codec.NewKeyLine(s[0], s[1])
		require.NoError(t, err)
		lines = append(lines, line)
	}
	keys, err := codec.ParseKeys("# a comment\n" + strings.Join(lines, ";"))
	require.NoError(t, err)
	return keys
}

type intake struct {
	Name, Phone, IDNumber, Facts string
}

var resident = intake{Name: "张三", Phone: "13900000001", IDNumber: "15062619800101001X", Facts: "邻居占用草场，多次协商未果。"}

func TestSealAndOpen(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{codec.AES256GCM, codec.SM4GCM} {
		t.Run(alg, func(t *testing.T) {
			c, err := codec.New(ring(t, [2]string{"k1", alg}))
			require.NoError(t, err)
			dc := c.DataConverter()
			p, err := dc.ToPayload(resident)
			require.NoError(t, err)
			require.Equal(t, codec.Encoding, string(p.GetMetadata()[converter.MetadataEncoding]))
			require.Equal(t, "k1", string(p.GetMetadata()[codec.MetaKeyID]))
			require.Equal(t, alg, string(p.GetMetadata()[codec.MetaCipher]))
			for _, secret := range []string{resident.Name, resident.Phone, resident.IDNumber, resident.Facts} {
				require.False(t, bytes.Contains(p.GetData(), []byte(secret)), "%s in clear", secret)
			}
			var got intake
			require.NoError(t, dc.FromPayload(p, &got))
			require.Equal(t, resident, got)

			// Two seals of the same value differ: a fresh nonce each time.
			p2, err := dc.ToPayload(resident)
			require.NoError(t, err)
			require.NotEqual(t, p.GetData(), p2.GetData())
		})
	}
}

// TestRotation: the newest key seals; a payload sealed with an older key opens as long as the
// ring keeps that key, and not after it is dropped.
func TestRotation(t *testing.T) {
	t.Parallel()
	keys := ring(t, [2]string{"2025", codec.AES256GCM}, [2]string{"2026", codec.SM4GCM}, [2]string{"2027", codec.AES256GCM})
	old, err := codec.New(keys[:1])
	require.NoError(t, err)
	sealedOld, err := old.DataConverter().ToPayload(resident)
	require.NoError(t, err)

	rotated, err := codec.New(keys)
	require.NoError(t, err)
	require.Equal(t, "2027", rotated.Newest())
	sealedNew, err := rotated.DataConverter().ToPayload(resident)
	require.NoError(t, err)
	require.Equal(t, "2027", string(sealedNew.GetMetadata()[codec.MetaKeyID]))
	var got intake
	require.NoError(t, rotated.DataConverter().FromPayload(sealedOld, &got))
	require.Equal(t, resident, got)

	dropped, err := codec.New(keys[1:])
	require.NoError(t, err)
	err = dropped.DataConverter().FromPayload(sealedOld, &got)
	require.ErrorContains(t, err, `key "2025"`)
}

// TestPlainPassesThrough: payloads written without the codec (the committed replay corpus, a
// center that turned encryption on later) decode as they are.
func TestPlainPassesThrough(t *testing.T) {
	t.Parallel()
	c, err := codec.New(ring(t, [2]string{"k1", codec.AES256GCM}))
	require.NoError(t, err)
	plain, err := converter.GetDefaultDataConverter().ToPayload(resident)
	require.NoError(t, err)
	out, err := c.Decode([]*commonpb.Payload{plain})
	require.NoError(t, err)
	require.Same(t, plain, out[0])
	var got intake
	require.NoError(t, c.DataConverter().FromPayload(plain, &got))
	require.Equal(t, resident, got)
}

// TestTampered: a changed byte, or metadata pointing at another key, fails to open.
func TestTampered(t *testing.T) {
	t.Parallel()
	keys := ring(t, [2]string{"a", codec.AES256GCM}, [2]string{"b", codec.AES256GCM})
	c, err := codec.New(keys)
	require.NoError(t, err)
	sealed, err := c.Encode([]*commonpb.Payload{{Data: []byte(resident.Phone)}})
	require.NoError(t, err)
	flipped := &commonpb.Payload{Metadata: sealed[0].GetMetadata(), Data: bytes.Clone(sealed[0].GetData())}
	flipped.Data[len(flipped.Data)-1] ^= 1
	_, err = c.Decode([]*commonpb.Payload{flipped})
	require.Error(t, err)
	moved := &commonpb.Payload{Metadata: map[string][]byte{}, Data: sealed[0].GetData()}
	for k, v := range sealed[0].GetMetadata() {
		moved.Metadata[k] = v
	}
	moved.Metadata[codec.MetaKeyID] = []byte("a")
	_, err = c.Decode([]*commonpb.Payload{moved})
	require.Error(t, err)
}

func TestParseKeysRefuses(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "# only a comment", "k1 aes-256-gcm", "k1 aes-256-gcm not*base64"} {
		_, err := codec.ParseKeys(text)
		require.Error(t, err, text)
	}
	keys, err := codec.ParseKeys("k1 aes-256-gcm AAAA")
	require.NoError(t, err)
	_, err = codec.New(keys)
	require.ErrorContains(t, err, "32 bytes")
	keys, err = codec.ParseKeys("k1 des AAAA")
	require.NoError(t, err)
	_, err = codec.New(keys)
	require.ErrorContains(t, err, "unknown algorithm")
}

func TestDevKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := codec.DevKeys(dir)
	require.NoError(t, err)
	again, err := codec.DevKeys(dir)
	require.NoError(t, err)
	require.Equal(t, first, again, "the data folder keeps its key")
	_, err = codec.New(first)
	require.NoError(t, err)
}

// BenchmarkCodec seals and opens a case's intake, about the size of a registration's payload:
// the codec's cost on each payload an action sends to Temporal and gets back.
func BenchmarkCodec(b *testing.B) {
	in := resident
	in.Facts = strings.Repeat("邻居占用草场，多次协商未果。", 100) // ~4 KB
	for _, alg := range []string{"none", codec.AES256GCM, codec.SM4GCM} {
		b.Run(alg, func(b *testing.B) {
			dc := converter.GetDefaultDataConverter() // the JSON conversion alone, to compare
			if alg != "none" {
				line, _ := codec.NewKeyLine("k", alg)
				keys, _ := codec.ParseKeys(line)
				c, _ := codec.New(keys)
				dc = c.DataConverter()
			}
			b.ReportAllocs()
			for b.Loop() {
				p, err := dc.ToPayload(in)
				if err != nil {
					b.Fatal(err)
				}
				var out intake
				if err := dc.FromPayload(p, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A failure's message and stack trace are sealed like a payload: the history holds neither the
// resident's number an error quoted, and a client with the codec reads the message again.
func TestFailuresAreSealed(t *testing.T) {
	c, err := codec.New(ring(t, [2]string{"k1", "aes-256-gcm"}))
	require.NoError(t, err)
	fc := c.FailureConverter()
	f := fc.ErrorToFailure(temporal.NewApplicationError("value too long for phone "+resident.Phone, "Invalid"))
	require.Equal(t, "Encoded failure", f.GetMessage())
	require.NotNil(t, f.GetEncodedAttributes())
	require.NotContains(t, string(f.GetEncodedAttributes().GetData()), resident.Phone)
	require.Equal(t, codec.Encoding, string(f.GetEncodedAttributes().GetMetadata()["encoding"]))

	back := fc.FailureToError(f)
	var app *temporal.ApplicationError
	require.ErrorAs(t, back, &app)
	require.Equal(t, "Invalid", app.Type())
	require.Contains(t, app.Error(), resident.Phone)
}
