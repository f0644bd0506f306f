import i18n from '../i18n';

// The words of the case page's 附件 section, added when its chunk loads.
const zh = {
  attachments: {
    title: '附件', empty: '暂无附件', name: '文件', size: '大小', uploaded: '上传', checksum: 'SHA-256',
    upload: '上传附件', uploading: '正在上传…', uploaded_ok: '已上传：{{name}}',
    hint: '{{types}}，不超过 {{max}}；类型按文件内容识别。',
    types: 'PDF、JPG、PNG、Word、Excel、ODF 文档、文本', photoTypes: '照片（JPG、PNG）',
    forbidden: '您的岗位可以查看本案概况，但不能查看附件。',
    failed: '上传失败：{{reason}}', downloadFailed: '下载失败：{{reason}}',
    download: '下载 {{name}}',
    actions: '操作', replace: '替换', replaceOf: '替换 {{name}}', delete: '删除', deleteOf: '删除 {{name}}',
    replaced_ok: '已替换为：{{name}}', deleted_ok: '已删除：{{name}}', deleteFailed: '删除失败：{{reason}}',
    deleteTitle: '删除附件 {{name}}', deleteReason: '删除原因（记入时间线）',
    deleteNote: '删除后附件不再列出，但仍保存在存储中，并与其校验值一起留在时间线和审计日志里。',
    showDeleted: '显示已删除和已替换的附件', deletedTag: '已删除', replacedTag: '已被替换',
  },
};
const en: typeof zh = {
  attachments: {
    title: 'Attachments', empty: 'No attachments', name: 'File', size: 'Size', uploaded: 'Uploaded', checksum: 'SHA-256',
    upload: 'Upload', uploading: 'Uploading…', uploaded_ok: 'Uploaded: {{name}}',
    hint: '{{types}}, at most {{max}}; the type is read from the content.',
    types: 'PDF, JPG, PNG, Word, Excel, ODF documents, text', photoTypes: 'Photos (JPG, PNG)',
    forbidden: 'Your post sees the case summary but not its papers.',
    failed: 'Upload failed: {{reason}}', downloadFailed: 'Download failed: {{reason}}',
    download: 'Download {{name}}',
    actions: 'Actions', replace: 'Replace', replaceOf: 'Replace {{name}}', delete: 'Delete', deleteOf: 'Delete {{name}}',
    replaced_ok: 'Replaced by: {{name}}', deleted_ok: 'Deleted: {{name}}', deleteFailed: 'Delete failed: {{reason}}',
    deleteTitle: 'Delete attachment {{name}}', deleteReason: 'Why (kept in the timeline)',
    deleteNote: 'A deleted attachment is no longer listed, but it stays in storage, and in the timeline and the audit log with its checksum.',
    showDeleted: 'Show deleted and replaced attachments', deletedTag: 'Deleted', replacedTag: 'Replaced',
  },
};

i18n.addResourceBundle('zh-CN', 'translation', zh, true, false);
i18n.addResourceBundle('en', 'translation', en, true, false);
