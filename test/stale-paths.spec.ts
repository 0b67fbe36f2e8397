/**
 * Comments and docs name repo files ("see kernels/gemm/js.ts", "microKernel (kernels/gemm/js.ts:140)");
 * a rename or a deletion leaves them pointing nowhere, and nothing else notices. One pass over the
 * tracked *.ts, *.mts and *.md files checks that every file a comment (in code) or a doc names
 * exists, and that a reference with a line number lies inside the file.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** A path with at least one slash (a bare file name is too often the reader's own), maybe a glob, then an optional :line. */
const pathReference = /(?<![\w@/.:$*-])((?:\.{1,2}\/)*[\w.*-]+(?:\/[\w.*-]+)+\.(?:ts|mts|mjs|md))(?::(\d+))?(?![\w/*-])/g;

/** The text where a file may name another: a doc whole, a code file's comments. */
function commentText(path: string, text: string): string {
  if (path.endsWith('.md')) return text;
  // String literals are matched too, so that a '//' inside one does not start a comment, and dropped.
  const tokens = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
  return [...text.matchAll(tokens)]
    .map((m) => m[0])
    .filter((token) => token.startsWith('/'))
    .join('\n');
}

interface Repo {
  files: Set<string>;
  basenames: Set<string>;
  topLevel: Set<string>;
  lineCount(path: string): number;
}

function trackedRepo(): Repo {
  const files = new Set(execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean));
  const lines = new Map<string, number>();
  return {
    files,
    basenames: new Set([...files].map((f) => posix.basename(f))),
    topLevel: new Set([...files].filter((f) => f.includes('/')).map((f) => f.slice(0, f.indexOf('/')))),
    lineCount(path) {
      let count = lines.get(path);
      if (count === undefined) {
        count = readFileSync(join(root, path), 'utf8').split('\n').length;
        lines.set(path, count);
      }
      return count;
    },
  };
}

/**
 * The repo file `name` (as written in `from`) refers to, or null when it refers to none. A path from
 * a top-level folder is read from the root (or beside `from`); ./ and ../ beside `from`; a partial
 * path ("assembly/gemm.ts") must end some tracked path; a glob ("test/*-gpujs.spec.ts") must match
 * some file, undefined then (it names no one file). Paths under untracked
 * folders (dist/, node_modules/) are build outputs and not checked: undefined.
 */
function resolveReference(repo: Repo, from: string, name: string): string | null | undefined {
  if (name.includes('*')) return globMatches(repo, from, name) ? undefined : null;
  const beside = posix.normalize(posix.join(posix.dirname(from), name));
  if (name.startsWith('.')) return repo.files.has(beside) ? beside : null;
  if (repo.files.has(name)) return name;
  if (repo.files.has(beside)) return beside;
  const first = name.split('/')[0];
  if (name.includes('/') && repo.topLevel.has(first)) return null;
  if (['dist', 'node_modules'].includes(first)) return undefined;
  const matches = [...repo.files].filter((f) => f.endsWith(`/${name}`));
  return matches.length === 1 ? matches[0] : matches.length > 1 ? undefined : null;
}

function globMatches(repo: Repo, from: string, glob: string): boolean {
  const pattern = (path: string) => new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const fromRoot = pattern(glob),
    beside = pattern(posix.normalize(posix.join(posix.dirname(from), glob)));
  return [...repo.files].some((f) => fromRoot.test(f) || beside.test(f));
}

/** Every stale reference in `text` (of file `from`), as "from: name — why". */
function staleReferences(repo: Repo, from: string, text: string): string[] {
  const problems: string[] = [];
  for (const match of commentText(from, text).matchAll(pathReference)) {
    const [reference, name, line] = match;
    const target = resolveReference(repo, from, name);
    if (target === null) problems.push(`${from}: ${reference} — no such file`);
    else if (target !== undefined && line !== undefined && Number(line) > repo.lineCount(target)) {
      problems.push(`${from}: ${reference} — ${target} has ${repo.lineCount(target)} lines`);
    }
  }
  return problems;
}

describe('stale paths: comments and docs name files that exist', () => {
  const repo = trackedRepo();

  it('finds a missing file, a line past the end, and passes a good reference (a guard that can fail)', () => {
    const text = '// the blocked gemm of kernels/gemm.ts\n// microKernel (kernels/gemm/js.ts:999999), see kernels/gemm/js.ts:1\n';
    expect(staleReferences(repo, 'kernels/conv2d/js.ts', text)).to.deep.equal([
      'kernels/conv2d/js.ts: kernels/gemm.ts — no such file',
      `kernels/conv2d/js.ts: kernels/gemm/js.ts:999999 — kernels/gemm/js.ts has ${repo.lineCount('kernels/gemm/js.ts')} lines`,
    ]);
    expect(staleReferences(repo, 'docs/kernels.md', 'see ../README.md, ./gone.md, test/*-gpujs.spec.ts, test/*-js.spec.ts')).to.deep.equal([
      'docs/kernels.md: ./gone.md — no such file',
      'docs/kernels.md: test/*-js.spec.ts — no such file',
    ]);
  });

  it('every tracked *.ts, *.mts and *.md names only files that exist, at lines they have', () => {
    const sources = [...repo.files].filter((f) => /\.(ts|mts|md)$/.test(f) && !f.startsWith('kernels/wasm/generated/'));
    const problems = sources.flatMap((f) => staleReferences(repo, f, readFileSync(join(root, f), 'utf8')));
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
