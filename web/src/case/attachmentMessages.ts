import i18n from '../i18n';

// The words of the case page's 附件 section, added when its chunk loads.
const zh = {
  attachments: {
    title: '附件', empty: '暂无附件', name: '文件', size: '大小', uploaded: '上传', checksum: 'SHA-256',
    upload: '上传附件', uploading: '正在上传…', uploaded_ok: '已上传：{{name}}',
    hint: '{{types}}，不超过 {{max}}；类型按文件内容识别。',
    types: 'PDF、JPG、PNG、Word、Excel、ODF 文档、文本',
    forbidden: '您的岗位可以查看本案概况，但不能查看附件。',
    failed: '上传失败：{{reason}}', downloadFailed: '下载失败：{{reason}}',
    download: '下载 {{name}}',
  },
};
const en: typeof zh = {
  attachments: {
    title: 'Attachments', empty: 'No attachments', name: 'File', size: 'Size', uploaded: 'Uploaded', checksum: 'SHA-256',
    upload: 'Upload', uploading: 'Uploading…', uploaded_ok: 'Uploaded: {{name}}',
    hint: '{{types}}, at most {{max}}; the type is read from the content.',
    types: 'PDF, JPG, PNG, Word, Excel, ODF documents, text',
    forbidden: 'Your post sees the case summary but not its papers.',
    failed: 'Upload failed: {{reason}}', downloadFailed: 'Download failed: {{reason}}',
    download: 'Download {{name}}',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
