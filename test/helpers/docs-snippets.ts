/**
 * Extracts the runnable TypeScript examples of a Markdown page, so test/docs-snippets.spec.ts can
 * run them and keep the pasted output honest.
 *
 * The rules (also stated at the top of the spec):
 *
 * 1. A snippet is a ```ts fence (possibly indented, e.g. inside a list item; the indentation is
 *    removed) that has an `import … from 'dropgrad'` line, or a repository-relative
 *    `import … from './…'` line (docs/batchnorm.md's example is meant to be run from the
 *    repository root). Fences without such an import are fragments (`gradcheck(...)` one-liners,
 *    shell, HTML, JS) and are not run.
 * 2. A snippet is skipped when the nearest non-blank line before its opening fence is the HTML
 *    comment `<!-- not-run -->` (invisible when rendered): code that is complete enough to import
 *    but cannot run in Node on its own, such as browser-only `fetch` code.
 * 3. Its expected output is the paragraph right after the closing fence (blank lines skipped), if
 *    that paragraph is either an untagged or ```text fence, or a single prose line containing the
 *    word "prints" followed by such a fence (e.g. "prints (channel 0; …)" or "Running it prints:").
 *    A prose line of the form "prints `…`" gives a one-line output inline instead. Anything else
 *    means the snippet is only required to exit 0.
 * 4. A fence whose nearest non-blank line before it is `<!-- shows examples/<name>.ts -->` is that
 *    repository file, verbatim except that the file's `'../index'` imports read `'dropgrad'`
 *    (test/examples.spec.ts checks it): the page cannot drift from the example it shows. It still
 *    runs as a snippet under rules 1–3.
 */

export interface DocSnippet {
  /** Position among all ```ts fences of the page (runnable or not), 0-based, so it stays stable. */
  readonly index: number;
  /** 1-based line of the opening fence, for finding the snippet from a failure message. */
  readonly line: number;
  readonly code: string;
  /** The printed output the page shows, or null when it shows none. */
  readonly expectedOutput: string | null;
}

const NOT_RUN_MARKER = '<!-- not-run -->';
const SHOWS_FILE_MARKER = /^<!-- shows (\S+) -->$/;
const IMPORT_LINE = /^\s*import\b[^;]*\bfrom\s+'(dropgrad|\.\/[^']*)'/m;

interface Fence {
  readonly lang: string;
  /** Index of the line after the closing fence. */
  readonly end: number;
  readonly body: string;
}

/** Reads the fence opening at `start`, or null if that line does not open one. */
function readFence(lines: readonly string[], start: number): Fence | null {
  const open = /^( *)```(\S*)\s*$/.exec(lines[start]);
  if (!open) return null;
  const indent = open[1];
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].trimEnd() === `${indent}\`\`\``) return { lang: open[2], end: i + 1, body: body.join('\n') };
    // Content lines of an indented fence carry the fence's indentation (blank lines may not).
    body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
  }
  throw new Error(`unclosed \`\`\` fence opened at line ${start + 1}`);
}

function nextNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && lines[i].trim() === '') i++;
  return i;
}

function isOutputFence(fence: Fence | null): fence is Fence {
  return fence !== null && (fence.lang === '' || fence.lang === 'text');
}

function expectedOutputAfter(lines: readonly string[], end: number): string | null {
  const i = nextNonBlank(lines, end);
  if (i >= lines.length) return null;
  const direct = readFence(lines, i);
  if (direct) return isOutputFence(direct) ? direct.body : null;
  if (!/\bprints\b/.test(lines[i])) return null;
  const inline = /\bprints `([^`]*)`/.exec(lines[i]);
  if (inline) return inline[1];
  // Only a one-line lead-in counts: if its paragraph goes on, the next non-blank line is prose,
  // not a fence, and the snippet is taken to show no output.
  const j = nextNonBlank(lines, i + 1);
  if (j >= lines.length) return null;
  const fence = readFence(lines, j);
  return isOutputFence(fence) ? fence.body : null;
}

/** The nearest non-blank line before line `at`, trimmed ('' at the top of the page). */
function lineBefore(lines: readonly string[], at: number): string {
  let before = at - 1;
  while (before >= 0 && lines[before].trim() === '') before--;
  return before >= 0 ? lines[before].trim() : '';
}

/** Calls `visit` for every ```ts fence of the page with its position among them and its opening line. */
function forEachTsFence(markdown: string, visit: (fence: Fence, tsIndex: number, start: number, lines: readonly string[]) => void): void {
  const lines = markdown.split('\n');
  let tsIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const fence = readFence(lines, i);
    if (!fence) continue;
    if (fence.lang === 'ts') visit(fence, tsIndex++, i, lines);
    // Skip the fence's body so a ``` inside it is never read as an opening.
    i = fence.end - 1;
  }
}

/** The runnable snippets of a page, in page order. */
export function extractSnippets(markdown: string): DocSnippet[] {
  const snippets: DocSnippet[] = [];
  forEachTsFence(markdown, (fence, index, start, lines) => {
    if (lineBefore(lines, start) !== NOT_RUN_MARKER && IMPORT_LINE.test(fence.body)) {
      snippets.push({ index, line: start + 1, code: fence.body, expectedOutput: expectedOutputAfter(lines, fence.end) });
    }
  });
  return snippets;
}

export interface ShownFile {
  /** Repository-relative path of the file the fence shows. */
  readonly path: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts fences of a page marked `<!-- shows path -->` (rule 4), in page order. */
export function extractShownFiles(markdown: string): ShownFile[] {
  const shown: ShownFile[] = [];
  forEachTsFence(markdown, (fence, _index, start, lines) => {
    const marker = SHOWS_FILE_MARKER.exec(lineBefore(lines, start));
    if (marker) shown.push({ path: marker[1], line: start + 1, code: fence.body });
  });
  return shown;
}

/** An example file as a page shows it: imports of the package root ('../index') read 'dropgrad'. */
export function asShownInDocs(source: string): string {
  return source.replace(/(\bfrom\s+)'\.\.\/index'/g, "$1'dropgrad'");
}

/**
 * Points the snippet's imports at this checkout: 'dropgrad' at `<repoRoot>/index.ts` (the package
 * entry, without needing a build), './…' at the same path under the repository root.
 */
export function toRunnable(code: string, repoRoot: string): string {
  const root = repoRoot.replace(/\/+$/, '');
  return code.replace(
    /(\bfrom\s+)'(dropgrad|\.\/[^']*)'/g,
    (_match, from: string, spec: string) =>
      `${from}${JSON.stringify(spec === 'dropgrad' ? `${root}/index.ts` : `${root}/${spec.slice(2)}`)}`,
  );
}

/** Output as compared: trailing whitespace of every line and of the whole text removed. */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trimEnd();
}
