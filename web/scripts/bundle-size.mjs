// Prints the gzipped JavaScript each page of the workbench loads first: the entry's static
// imports plus the page's own chunk and its static imports (what the browser fetches before
// the page is drawn; chunks loaded later by a click are not counted).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dir = 'dist/assets';
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
const html = readFileSync('dist/index.html', 'utf8');
const entry = [...html.matchAll(/\/assets\/([^"]+\.js)/g)].map((m) => m[1]);

function closure(start) {
  const seen = new Set();
  const todo = [...start];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(`${dir}/${f}`, 'utf8');
    // static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`
    for (const m of src.matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) todo.push(m[1]);
  }
  return seen;
}

// The clerk's first page has a budget (the workbench issue): a change that grows it past this fails.
const budgets = { QueuePage: 350 };

const gz = (f) => gzipSync(readFileSync(`${dir}/${f}`)).length;
const pages = process.argv.slice(2).length ? process.argv.slice(2) : ['SignInPage', 'QueuePage', 'CasePage', 'RegisterPage', 'SearchPage', 'StatsPage'];
for (const page of pages) {
  const chunk = files.find((f) => f.startsWith(`${page}-`));
  if (!chunk) throw new Error(`no chunk for ${page}`);
  const all = closure([...entry, chunk]);
  const kb = [...all].reduce((n, f) => n + gz(f), 0) / 1024;
  console.log(`${page}: ${kb.toFixed(1)} KB gzipped JavaScript in ${all.size} files`);
  if (budgets[page] && kb > budgets[page]) {
    console.error(`${page} loads ${kb.toFixed(1)} KB first, over its budget of ${budgets[page]} KB: load what it does not draw at once lazily`);
    process.exitCode = 1;
  }
}
