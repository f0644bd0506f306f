/** A problem of POST /v1/procedures/validate: its path in the definition, its place in the YAML. */
export type Problem = { path: string; line?: number; column?: number; message: string };

/** The part of a CodeMirror document lintRanges reads (Text has it), so the mapping is testable without an editor. */
export interface Lines {
  readonly lines: number;
  readonly length: number;
  line(n: number): { from: number; to: number; text: string };
}

/** Mark is a problem's range in the document and the message shown there. */
export type Mark = { from: number; to: number; message: string };

const word = /^[^\s,{}[\]]+/;

/**
 * lintRanges places each problem at its line and column (1-based, as the server counts them):
 * from the column to the end of the word there (a value such as `acept}` is marked up to the
 * brace), the whole line when the column is past its text. A problem without a place (or with
 * a line beyond the document, while the text changed under the check) is marked on the first line,
 * so no problem goes unseen. The message names the path, as publishing would.
 */
export function lintRanges(doc: Lines, problems: readonly Problem[]): Mark[] {
  return problems.map((p) => {
    const message = p.path ? `${p.path}: ${p.message}` : p.message;
    const n = p.line && p.line >= 1 && p.line <= doc.lines ? p.line : 1;
    const line = doc.line(n);
    if (!p.line || p.line > doc.lines) return { from: line.from, to: line.to, message };
    const col = Math.max(0, (p.column ?? 1) - 1);
    if (col >= line.text.length) return { from: line.from, to: line.to, message };
    const rest = line.text.slice(col);
    const len = word.exec(rest)?.[0].length ?? rest.trimEnd().length;
    return { from: line.from + col, to: line.from + col + Math.max(1, len), message };
  });
}
