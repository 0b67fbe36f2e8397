/**
 * Where the time of one training step goes: the default small CNN (`models.smallCnn()`, float32,
 * batch 64, Adam, cross-entropy), warmed up, then
 *   1. timed without the profiler (median ms/step over --steps steps), and
 *   2. sampled with V8's CPU profiler (node:inspector) over another --steps steps, printing the
 *      functions with the most self time, and the files they sit in.
 *
 *   npm run bench:profile -- --backend wasm --steps 20
 *
 * Options: --backend js|wasm|reference (default: the library's default), --steps N (default 20),
 * --warmup N (default 5), --top N functions (default 25). Self time is the main thread's only:
 * the wasm backend's worker threads are not sampled, so with 2 threads part of a wasm kernel's
 * time is spent in those workers and shows up nowhere; the median ms/step counts everything.
 * TypeScript lines come from the source maps tsx registers; `wasm` marks WebAssembly functions.
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, Tensor, crossEntropy, getBackend, manualSeed, models, optim, randn, setBackend } from '../index';
import { getNumThreads } from '../kernels/wasm/thread-count';
import { machine } from './harness';
import { median } from './median';

interface Options {
  backend: BackendName | undefined;
  steps: number;
  warmup: number;
  top: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { backend: undefined, steps: 20, warmup: 5, top: 25 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--backend') options.backend = value as BackendName;
    else if (flag === '--steps' || flag === '--warmup' || flag === '--top') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (flag === '--warmup' ? 0 : 1))
        throw new RangeError(`${flag}: expected an integer ≥ ${flag === '--warmup' ? 0 : 1}, got ${value}`);
      options[flag.slice(2) as 'steps' | 'warmup' | 'top'] = n;
    } else throw new RangeError(`unknown flag ${flag} (expected --backend js|wasm|reference, --steps N, --warmup N, --top N)`);
  }
  return options;
}

/** One optimizer step on a fixed random batch, as app/training/train-epoch.ts takes it. */
function trainingStep(batch = 64): () => void {
  manualSeed(0);
  const model = models.smallCnn({ dtype: 'float32' });
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([batch, 1, 28, 28], { dtype: 'float32' });
  const labels = Float32Array.from({ length: batch }, (_, i) => (i * 7) % 10);
  const y = Tensor.fromData(labels, [batch]);
  model.train();
  return () => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.item();
    loss.backward();
    optimizer.step();
  };
}

/**
 * Median wall time and median process CPU time (user + system, every thread) per step. On a shared
 * machine the CPU time is the steadier of the two: it does not count the time other processes hold
 * the cores (it does count a worker thread's spinning while it waits for work).
 */
function timeSteps(step: () => void, warmup: number, runs: number): { wallMs: number; cpuMs: number } {
  for (let i = 0; i < warmup; i++) step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const usage = process.cpuUsage();
    step();
    const { user, system } = process.cpuUsage(usage);
    wall.push(performance.now() - start);
    cpu.push((user + system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

async function profile(run: () => void, intervalUs: number): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
    await post(session, 'Profiler.start');
    run();
    return (await post<{ profile: CpuProfile }>(session, 'Profiler.stop')).profile;
  } finally {
    session.disconnect();
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 'lib/ops/activations.ts:21' for a frame of the project (its TypeScript line), else a short origin. */
function location({ url, lineNumber, columnNumber }: ProfileNode['callFrame']): string {
  if (url === '') return '';
  if (url.startsWith('wasm://')) return 'wasm';
  const entry = findSourceMap(url)?.findEntry(lineNumber, columnNumber);
  const file = entry && 'originalSource' in entry ? entry.originalSource : url;
  const line = entry && 'originalLine' in entry ? entry.originalLine + 1 : lineNumber + 1;
  const absolute = file.startsWith('file://') ? fileURLToPath(file) : file;
  const relative = path.isAbsolute(absolute) ? path.relative(root, absolute) : absolute;
  return `${relative.replace(/^node_modules\//, '')}:${line}`;
}

const sourceLines = new Map<string, string[]>();

/**
 * A name for an anonymous function of the project, read from its source: tsx compiles the arrow
 * functions of `defineOp({ name: 'relu', forward: (x) => … })` without a name, so this finds the
 * property it is assigned to and the op's name above it: 'relu.forward'.
 */
function nameFromSource(where: string): string {
  const match = /^(.+\.ts):(\d+)$/.exec(where);
  if (!match || path.isAbsolute(match[1]) || match[1].startsWith('..')) return '(anonymous)';
  let lines = sourceLines.get(match[1]);
  if (!lines) {
    lines = readFileSync(path.join(root, match[1]), 'utf8').split('\n');
    sourceLines.set(match[1], lines);
  }
  const at = Number(match[2]) - 1;
  const assigned = /^\s*(?:export\s+)?(?:const\s+)?(\w+)\s*[:=]/.exec(lines[at] ?? '')?.[1];
  const calledWith = /^\s*(?:\w+\.)*(\w+)\(/.exec(lines[at] ?? '')?.[1];
  if (!assigned) return calledWith ? `${calledWith} callback` : '(anonymous)';
  // The op's `name: '…'` above, within the same top-level statement (a defineOp call).
  for (let i = at; i >= 0 && !/^\S/.test(lines[i + 1] ?? ''); i--) {
    const op = /^\s*name: '(\w+)'/.exec(lines[i])?.[1];
    if (op) return `${op}.${assigned}`;
  }
  return assigned;
}

/**
 * Self time per function: sample i stands for the time until sample i + 1 (timeDeltas[i + 1]),
 * added to the function on top of the stack then.
 */
function selfTimes(p: CpuProfile): { rows: Array<{ name: string; where: string; ms: number }>; totalMs: number } {
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const rows = new Map<string, { name: string; where: string; ms: number }>();
  let totalMs = 0;
  for (let i = 0; i < p.samples.length - 1; i++) {
    const { callFrame } = byNode.get(p.samples[i])!;
    const ms = p.timeDeltas[i + 1] / 1000;
    const where = location(callFrame);
    const name = callFrame.functionName || nameFromSource(where);
    const key = `${name} ${where}`;
    const row = rows.get(key) ?? { name, where, ms: 0 };
    row.ms += ms;
    rows.set(key, row);
    totalMs += ms;
  }
  return { rows: [...rows.values()].sort((a, b) => b.ms - a.ms), totalMs };
}

function printRows(
  title: string,
  what: string,
  rows: ReadonlyArray<{ label: string; ms: number }>,
  totalMs: number,
  perStep: number,
): void {
  console.log(`\n${title}`);
  console.log(`${'ms/step'.padStart(8)} ${'%'.padStart(6)}  ${what}`);
  for (const { label, ms } of rows) {
    console.log(`${(ms / perStep).toFixed(2).padStart(8)} ${((100 * ms) / totalMs).toFixed(1).padStart(6)}  ${label}`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.backend) setBackend(options.backend);
  const step = trainingStep();
  const backend = getBackend();
  const threads = backend === 'wasm' ? `, ${getNumThreads()} threads` : '';
  console.log(`smallCnn float32, batch 64, Adam — backend ${backend}${threads} — ${machine()}`);

  const runs = options.steps;
  const { wallMs, cpuMs } = timeSteps(step, options.warmup, runs);
  console.log(
    `median ${wallMs.toFixed(1)} ms/step (${((64 * 1000) / wallMs).toFixed(0)} examples/s), ${cpuMs.toFixed(1)} ms/step of process CPU, over ${runs} steps without the profiler`,
  );

  const p = await profile(() => {
    for (let i = 0; i < runs; i++) step();
  }, 100);
  const { rows, totalMs } = selfTimes(p);
  const label = (r: { name: string; where: string }): string => (r.where ? `${r.name} (${r.where})` : r.name);
  printRows(
    `top ${options.top} functions by self time, profiled over ${runs} steps (${(totalMs / runs).toFixed(1)} ms/step with the profiler)`,
    'function (file:line)',
    rows.slice(0, options.top).map((r) => ({ label: label(r), ms: r.ms })),
    totalMs,
    runs,
  );

  const byFile = new Map<string, number>();
  for (const r of rows) {
    const file = r.where.replace(/:\d+$/, '') || r.name;
    byFile.set(file, (byFile.get(file) ?? 0) + r.ms);
  }
  const files = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 10);
  printRows(
    'top 10 files by self time',
    'file',
    files.map(([file, fileMs]) => ({ label: file, ms: fileMs })),
    totalMs,
    runs,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
