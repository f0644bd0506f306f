package blob

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/onedoor/onedoor"
)

// S3Config says where an S3-compatible object store is and how to sign in to it.
type S3Config struct {
	// Endpoint is the store's URL (https://s3.example.gov.cn, http://127.0.0.1:9000); AWS's own
	// endpoint for the region when empty.
	Endpoint string
	// Region is the store's region; most S3-compatible stores accept any, us-east-1 by default.
	Region string
	// Bucket holds the blobs; it must exist.
	Bucket string
	// AccessKey and SecretKey sign the requests; when both are empty the SDK's default chain
	// (AWS_ACCESS_KEY_ID…, a shared credentials file, an instance role) provides them.
	AccessKey, SecretKey string
	// PathStyle addresses the bucket in the path (endpoint/bucket/key) rather than as a host
	// name (bucket.endpoint/key): what MinIO, SeaweedFS and most on-premises stores expect.
	PathStyle bool
}

// S3 keeps blobs as objects of one bucket of an S3-compatible store.
type S3 struct {
	client *s3.Client
	bucket string
}

// NewS3 connects to the store and checks that the bucket is there and reachable with the keys.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3: no bucket")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(cfg.Region))
	if err != nil {
		return nil, fmt.Errorf("s3: %w", err)
	}
	if cfg.AccessKey != "" || cfg.SecretKey != "" {
		awsCfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""))
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		// Checksums only where S3 requires them: the SDK's default CRC32 trailers are not
		// understood by every S3-compatible store, and OneDoor checks its own SHA-256.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	st := &S3{client: client, bucket: cfg.Bucket}
	if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(cfg.Bucket)}); err != nil {
		return nil, fmt.Errorf("s3: bucket %s at %s: %w", cfg.Bucket, cfg.Endpoint, err)
	}
	return st, nil
}

// Put uploads the blob as one object.
func (s *S3) Put(ctx context.Context, key string, r io.ReadSeeker, size int64, contentType string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), Body: r, ContentLength: aws.Int64(size),
		ContentType: aws.String(contentType),
	})
	if err != nil {
		return fmt.Errorf("s3: put %s: %w", key, err)
	}
	return nil
}

// Get downloads the blob's object.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		var missing *types.NoSuchKey
		var api smithy.APIError
		if errors.As(err, &missing) || errors.As(err, &api) && api.ErrorCode() == "NotFound" {
			return nil, onedoor.Errorf(onedoor.ENotFound, "blob %s not found", key)
		}
		return nil, fmt.Errorf("s3: get %s: %w", key, err)
	}
	return out.Body, nil
}

// Delete removes the blob's object; S3 answers a missing one as deleted.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("s3: delete %s: %w", key, err)
	}
	return nil
}
