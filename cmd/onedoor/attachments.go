package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/onedoor/onedoor/api"
	"github.com/onedoor/onedoor/blob"
)

// attachmentFlags say where the bytes of attachments are kept and how large one may be: an
// S3-compatible bucket when ONEDOOR_S3_BUCKET is set, else a folder.
type attachmentFlags struct {
	AttachmentsDir  string `name:"attachments-dir" env:"ONEDOOR_ATTACHMENTS_DIR" help:"Folder of the attachments' bytes, when no S3 bucket is set (one API node, or a folder every node shares); dev: DIR/attachments. Without either, attachments are refused 503."`
	AttachmentMaxMB int64  `name:"attachment-max-mb" env:"ONEDOOR_ATTACHMENT_MAX_MB" default:"20" help:"Largest attachment accepted, in MiB."`
	S3Endpoint      string `name:"s3-endpoint" env:"ONEDOOR_S3_ENDPOINT" help:"URL of the S3-compatible object store (https://s3.example.gov.cn); AWS's endpoint of the region when empty."`
	S3Region        string `name:"s3-region" env:"ONEDOOR_S3_REGION" default:"us-east-1" help:"Region of the object store."`
	S3Bucket        string `name:"s3-bucket" env:"ONEDOOR_S3_BUCKET" help:"Bucket of the attachments (it must exist); turns S3 on."`
	S3AccessKey     string `name:"s3-access-key" env:"ONEDOOR_S3_ACCESS_KEY" help:"Access key of the object store; with the secret key. Both empty: the AWS SDK's default chain (AWS_ACCESS_KEY_ID…, an instance role)."`
	S3SecretKey     string `name:"s3-secret-key" env:"ONEDOOR_S3_SECRET_KEY" help:"Secret key of the object store (set it in the environment, not on the command line)."`
	S3PathStyle     bool   `name:"s3-path-style" env:"ONEDOOR_S3_PATH_STYLE" default:"true" negatable:"" help:"Address the bucket in the path (MinIO, SeaweedFS, most on-premises stores); --no-s3-path-style for virtual-host addressing."`
}

// blobs opens the attachments' store: the bucket, else the folder (devDir when none is set), else
// none. It returns the option that gives it to the API.
func (f attachmentFlags) blobs(ctx context.Context, logger *slog.Logger, devDir string) (func(*api.Server), error) {
	var st blob.Store
	switch dir := f.AttachmentsDir; {
	case f.S3Bucket != "":
		s3, err := blob.NewS3(ctx, blob.S3Config{Endpoint: f.S3Endpoint, Region: f.S3Region, Bucket: f.S3Bucket,
			AccessKey: f.S3AccessKey, SecretKey: f.S3SecretKey, PathStyle: f.S3PathStyle})
		if err != nil {
			return nil, err
		}
		logger.Info("attachments in S3", "endpoint", f.S3Endpoint, "bucket", f.S3Bucket)
		st = s3
	case dir != "" || devDir != "":
		if dir == "" {
			dir = filepath.Join(devDir, "attachments")
		}
		d, err := blob.NewDir(dir)
		if err != nil {
			return nil, err
		}
		logger.Info("attachments in a folder", "dir", dir)
		st = d
	default:
		logger.Warn("attachments are not configured: uploads and downloads are answered 503 (set ONEDOOR_S3_BUCKET or ONEDOOR_ATTACHMENTS_DIR)")
	}
	return func(as *api.Server) {
		as.Blobs = st
		as.AttachmentMaxBytes = f.AttachmentMaxMB << 20
	}, nil
}
