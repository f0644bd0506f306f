package codec

import (
	"crypto/cipher"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// SM4GCM is SM4 (GB/T 32907-2016) in Galois/Counter Mode, for a 密评 assessment that asks for
// the national algorithms; its keys are 16 bytes.
const SM4GCM = "sm4-gcm"

func init() {
	otherCiphers[SM4GCM] = func(k Key) (cipher.AEAD, error) {
		if len(k.Secret) != 16 {
			return nil, fmt.Errorf("codec: key %s: %s wants 16 bytes, not %d", k.ID, k.Algorithm, len(k.Secret))
		}
		block, err := sm4.NewCipher(k.Secret)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(block)
	}
}
