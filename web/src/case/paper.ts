// The timeline's attach and detach entries name the paper in the audit log's words
// ("attachment <id>: <name>, <type>, <n> bytes, sha256 <hex>", workflows/attachments.go); the
// page shows them in the reader's language.

export interface Paper {
  id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
}

const one = /attachment (\S+): (.+), ([^,]+), (\d+) bytes, sha256 ([0-9a-f]{64})/;

function parse(s: string): Paper | undefined {
  const m = one.exec(s);
  if (!m) return undefined;
  return { id: m[1]!, name: m[2]!, type: m[3]!, size: Number(m[4]), sha256: m[5]! };
}

export interface PaperEntry {
  paper: Paper;
  /** replaces is the paper an upload replaced. */
  replaces?: Paper;
  /** action is the timeline entry the paper belongs to. */
  action?: number;
  /** why is the reason given for a deletion. */
  why?: string;
}

/** parsePaper reads an attach or detach entry's reason; undefined when it is not one. */
export function parsePaper(action: string, reason: string): PaperEntry | undefined {
  if (action === 'attach') {
    const [mine, old] = reason.split('; replaces ');
    const paper = parse(mine ?? '');
    if (!paper) return undefined;
    const of = /, of timeline entry (\d+)$/.exec(mine ?? '');
    return { paper, replaces: old ? parse(old) : undefined, action: of ? Number(of[1]) : undefined };
  }
  if (action === 'detach') {
    const paper = parse(reason);
    if (!paper) return undefined;
    const rest = reason.slice(reason.indexOf(paper.sha256) + paper.sha256.length);
    const why = rest.startsWith(': ') ? rest.slice(2) : undefined;
    return { paper, why };
  }
  return undefined;
}
