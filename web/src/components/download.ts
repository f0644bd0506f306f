/** saveBlob hands a blob to the browser as a download named name (no URL carries a token). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the URL can go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** csvCell quotes a cell for CSV and, like the server's export, defuses a formula (OWASP CSV injection). */
function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && s !== '' && '=+-@\t\r'.includes(s[0]!)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * toCSV writes rows as CSV with a UTF-8 byte-order mark, so that Excel opens the Chinese as
 * Chinese instead of guessing a local code page.
 */
export function toCSV(header: string[], rows: (string | number)[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
