package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"keyshelf/vault/provider"
)

// signV4 signs req, whose body is spec.Body, with AWS Signature Version 4:
// the key ID is the access key id and the key the secret access key. The
// signing is the AWS SDK's own signer, not a reimplementation: a subtle
// canonicalisation mistake would make every good key look invalid.
func signV4(ctx context.Context, req *http.Request, spec provider.Check, t Target, now time.Time) error {
	sum := sha256.Sum256([]byte(spec.Body))
	creds := aws.Credentials{AccessKeyID: t.KeyID, SecretAccessKey: t.Secret}
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), spec.Service, spec.Region, now)
}
