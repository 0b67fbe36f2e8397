/**
 * `npm run results`: every experiment behind docs/results/, each a `dropgrad` command run as a
 * child process (its JSON on stdout, its progress on stderr), then the pages regenerated from the
 * JSON: one per experiment, the claims with their verdicts, and the index with the headline table.
 *
 * The budget is printed before anything runs. Each experiment's JSON is kept with its command,
 * wall time and machine in <out>/data/<name>.json, and every page is written from those records:
 * `--only NAME` reruns one experiment (or, given a claim's id, the experiments that claim reads)
 * and rebuilds the pages from its new record and the others' stored ones; `pagesOnly` (--pages) runs nothing and rebuilds every page from the stored records,
 * so a change of wording or format needs no experiment. On many machines, runResultsShard runs one
 * slice of every experiment and mergeResults puts the slices back into those records (results-shard.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../serialization/atomic-write';
import { machineDescription, provenance, writeReportPage } from './report-page';
import { formatDurationInUnits } from '../render/duration';
import { EXPERIMENTS, type Experiment, type ExperimentRecord, budgetText, commandFor } from './experiments';
import { type ResultsShardReport, type ResultsShardRun, mergeResultsShards, resultsShardKind, shardArgs } from './results-shard';
import { type Shard, formatShard } from '../experiments/shard';
import { maxShardReportBytes } from '../experiments/shard-report-check';
import { readJsonFile } from '../serialization/json-file';
import { UsageError } from '../flags/usage-error';
import type { StochasticDepthReport } from '../experiments/stochastic-depth/report';
import { writeStochasticDepthPage } from './stochastic-depth-page';
import { depthSeeds } from '../experiments/stochastic-depth/config';
import { type StoredVarianceShiftReport, type VarianceShiftReport, currentVarianceShiftReport } from '../experiments/variance-shift/report';
import { writeVarianceShiftPage } from './variance-shift-page';
import { type CompareReport, type StoredCompareReport, currentCompareReport } from '../experiments/compare/report';
import { accuracyChart } from './compare-markdown';
import { comparePage } from './compare-page';
import { type ClaimId, type ClaimInputs, claimExperiment, claimIds, claimsPage, evaluateClaims } from './claims';
import { type PageEntry, indexPage } from './index-page';

export interface ResultsOptions {
  outDir: string;
  /** Names of the experiments to run, or ids of claims whose experiments to run (default all); the others' stored results are reused. */
  only?: readonly string[];
  quick?: boolean;
  /** Run nothing: rebuild every page (experiments, claims.md, README.md) from the stored JSON. */
  pagesOnly?: boolean;
  log?: (line: string) => void;
  /** The CLI's entry (default app/cli/main.ts). */
  cli?: string;
  /** Pass the experiments' progress (their stderr) through (default true). */
  progress?: boolean;
}

/** Runs `dropgrad <args>` in a child process; resolves with its stdout, rejects on a non-zero exit. */
function runCli(cli: string, args: readonly string[], progress: boolean): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), cli, ...args], {
      stdio: ['ignore', 'pipe', progress ? 'inherit' : 'ignore'],
    });
    let stdout = '';
    // Decoded as a stream: a multi-byte character split between two chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
    });
    child.on('error', reject);
    // 'close', not 'exit': by then stdout has been read to its end.
    child.on('close', (code, signal) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`dropgrad ${args.join(' ')} ended with ${signal ?? `status ${code}`}`)),
    );
  });
}

/**
 * A stored record in today's form: a compare report from before Holm's adjustment gets its
 * inference recomputed (currentCompareReport), a variance-shift report from before the model
 * without noise its rows' kinds and comparisons (currentVarianceShiftReport).
 */
function readRecord(path: string): ExperimentRecord | undefined {
  if (!existsSync(path)) return undefined;
  const record = JSON.parse(readFileSync(path, 'utf8')) as ExperimentRecord;
  if (record.kind === 'compare') return { ...record, result: currentCompareReport(record.result as StoredCompareReport) };
  if (record.kind === 'variance-shift')
    return { ...record, result: currentVarianceShiftReport(record.result as StoredVarianceShiftReport) };
  return record;
}

const DEFAULT_COMPARE_PROSE = `## Reading it

The regime is chosen to overfit: few training images, enough epochs for the plain model to reach
about 100% training accuracy. A technique that regularizes closes the train − test gap; whether
that buys test accuracy is what the p-value column says.`;

const DEFAULT_CLAIMS_PROSE = `## About the verdicts

The experiments are small (250 to 20,000 training images, minutes of CPU): they test the direction of each
claim, not its magnitude. A claim that is not reproduced here may still hold at the papers' scale.

## Each claim as its paper states it

Tompson et al. compare Dropout2d with elementwise dropout on the same feature maps, and Ghiasi et
al. compare DropBlock with both at the same place. So the verdicts on those two claims rest on the
\`dropout-conv\` row: elementwise dropout after each conv stage, where Dropout2d and DropBlock sit,
at their drop rate (p = 0.1, DropBlock's 1 − keep_prob = 0.1). The \`dropout\` row is the
classifier's dropout at p = 0.5, where dropout is normally used in a small CNN; a comparison with it
changes the place and the rate as well as the way of dropping, so it answers "where should a
dropout go in this network", which neither paper claims. Those rows are listed under each claim as
context, with their raw p, and are kept out of the verdict and out of Holm's family: adding them
would make the other comparisons' adjusted p larger for tests no claim asks for.

The variance-shift claim is two claims. "Dropout before BN costs accuracy" is tested against a
model without noise and against the same dropout after the last BN, at each p. "Uout costs less"
is a claim about the kind of noise only at equal strength, so it is tested against the dropout
whose noise variance Uout matches (β²/3 = p/(1−p)); Uout needs β ≤ 1, which reaches dropout
p = 0.25 at most (β = 1), so that pair is the test, beside p = 0.5 (the rate of the paper's first
figure) and β = 0.1 (a small β, as the paper presents Uout; nn.Uout's default).

Results stored by an earlier version have none of these rows. A claim whose comparisons are missing
says which ("not measured in this run") and is "incomplete" or "not run", not judged on the part
that ran; \`npm run results -- --only <claim>\` measures it.`;

/** Writes <name>.md and its chart from a stored record, keeping the page's prose. */
function writeExperimentPage(outDir: string, record: ExperimentRecord): void {
  const page = join(outDir, `${record.name}.md`);
  const run = { command: record.command, seeds: seedsOf(record), seconds: record.seconds, machine: record.machine };
  if (record.kind === 'stochastic-depth') writeStochasticDepthPage(page, record.result as StochasticDepthReport, run);
  else if (record.kind === 'variance-shift') writeVarianceShiftPage(page, record.result as VarianceShiftReport, run);
  else {
    const report = record.result as CompareReport;
    const chartName = `${record.name}-accuracy.svg`;
    writeFileAtomic(join(outDir, chartName), accuracyChart(report));
    writeReportPage(page, comparePage(report, record.dataset, run, chartName), DEFAULT_COMPARE_PROSE);
  }
}

/**
 * The experiments `--only` names, in the order of EXPERIMENTS: an experiment by its name, a claim
 * by its id (the experiments it reads: a compare claim reads compare on every data set). An
 * unknown name is an error that lists the valid ones.
 */
export function selectExperiments(names: readonly string[]): Experiment[] {
  const isClaim = (name: string): name is ClaimId => (claimIds as readonly string[]).includes(name);
  const unknown = names.filter((n) => !isClaim(n) && !EXPERIMENTS.some((e) => e.name === n));
  if (unknown.length > 0)
    throw new UsageError(
      `--only: unknown name ${unknown.join(', ')}; expected experiments ${EXPERIMENTS.map((e) => e.name).join(', ')} or claims ${claimIds.join(', ')}`,
    );
  return EXPERIMENTS.filter((e) => names.some((n) => n === e.name || (isClaim(n) && claimExperiment[n] === e.kind)));
}

/** How the experiments run, wherever their results go. */
type RunSettings = Pick<ResultsOptions, 'quick' | 'cli' | 'progress'>;

/** What one experiment's command gave: its report (null where a slice runs none of it) and the record's measured fields. */
type ExperimentRun = Pick<ExperimentRecord, 'seconds' | 'machine' | 'finishedAt' | 'result'>;

/**
 * Runs each selected experiment's command — with `shard`, only that slice of its runs
 * (results-shard.ts) — and hands each one that ends well to `done`; returns the names of those that failed.
 */
async function runExperiments(
  selected: readonly Experiment[],
  options: RunSettings,
  log: (line: string) => void,
  done: (experiment: Experiment, run: ExperimentRun) => void,
  shard?: Shard,
): Promise<string[]> {
  const quick = options.quick ?? false;
  const cli = options.cli ?? resolve(__dirname, '..', 'cli', 'main.ts');
  log(budgetText(selected));
  if (shard !== undefined)
    log(
      `slice ${formatShard(shard)} of each experiment's runs (variance-shift runs whole in slice ${shard.count}/${shard.count}); its report goes to stdout`,
    );
  const failures: string[] = [];
  for (const [i, experiment] of selected.entries()) {
    const study = commandFor(experiment, quick);
    const args = shard === undefined ? study : shardArgs(experiment.kind, study, shard);
    const step = `[${i + 1}/${selected.length}] ${experiment.name}`;
    if (args === undefined) {
      log(`\n${step}: none of its runs in slice ${formatShard(shard!)}`);
      done(experiment, { seconds: 0, machine: machineDescription(), finishedAt: new Date().toISOString(), result: null });
      continue;
    }
    log(`\n${step}: dropgrad ${args.join(' ')}`);
    const begin = performance.now();
    try {
      const result: unknown = JSON.parse(await runCli(cli, args, options.progress ?? true));
      const seconds = (performance.now() - begin) / 1000;
      done(experiment, { seconds, machine: machineDescription(), finishedAt: new Date().toISOString(), result });
      log(`${step}: ${formatDurationInUnits(seconds)} (budget ~${experiment.minutes} min${shard === undefined ? '' : ', for the whole'})`);
    } catch (error) {
      failures.push(experiment.name);
      log(`${step} FAILED after ${formatDurationInUnits((performance.now() - begin) / 1000)}: ${(error as Error).message}`);
    }
  }
  return failures;
}

/** An experiment's record as <out>/data/<name>.json holds it: the experiment, its command line (the whole study's), and what its run gave. */
function experimentRecord(experiment: Experiment, command: string, run: ExperimentRun): ExperimentRecord {
  const { name, kind, title, dataset } = experiment;
  return { name, kind, title, dataset, command, ...run };
}

function writeRecord(dataDir: string, record: ExperimentRecord): void {
  writeFileAtomic(join(dataDir, `${record.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Every page, from every stored record in <out>/data/ (this run's and earlier ones'): each
 * experiment's page and chart, claims.md and README.md; then what was written and the verdicts, in the log.
 */
function writePages(outDir: string, quick: boolean, log: (line: string) => void, how: string): void {
  const dataDir = join(outDir, 'data');
  const records = EXPERIMENTS.map((e) => readRecord(join(dataDir, `${e.name}.json`))).filter((r): r is ExperimentRecord => r !== undefined);
  if (records.length === 0) throw new Error(`no stored results in ${dataDir}: run \`npm run results\` (without --pages) first`);
  const inputs: ClaimInputs = { compare: {} };
  for (const r of records) {
    writeExperimentPage(outDir, r);
    if (r.kind === 'compare') inputs.compare[r.dataset] = r.result as CompareReport;
    if (r.kind === 'stochastic-depth') inputs.stochasticDepth = { dataset: r.dataset, report: r.result as StochasticDepthReport };
    if (r.kind === 'variance-shift') inputs.varianceShift = { dataset: r.dataset, report: r.result as VarianceShiftReport };
  }
  const claims = evaluateClaims(inputs);
  const total = records.reduce((a, r) => a + r.seconds, 0);
  const summaryRun = provenance({
    command: `npm run results${quick ? ' -- --quick' : ''}`,
    seeds: [...new Set(records.flatMap((r) => seedsOf(r)))].sort((a, b) => a - b),
    seconds: total,
    machine: records[0]?.machine,
  });
  writeReportPage(join(outDir, 'claims.md'), claimsPage(claims, summaryRun), DEFAULT_CLAIMS_PROSE);
  const pages: PageEntry[] = records.map((r) => ({ page: `${r.name}.md`, title: r.title, command: r.command, seconds: r.seconds }));
  writeReportPage(join(outDir, 'README.md'), indexPage(inputs.compare, claims, pages, summaryRun));
  log(`\nwrote ${outDir}/README.md, claims.md and ${records.length} experiment pages; ${how}`);
  for (const c of claims) log(`  ${c.verdict.kind.padEnd(38)} ${c.claim}`);
}

export async function runResults(options: ResultsOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const quick = options.quick ?? false;
  const only = options.only === undefined ? undefined : selectExperiments(options.only);
  if (options.pagesOnly === true && options.only !== undefined)
    throw new UsageError('--pages runs no experiment: it cannot be combined with --only');
  const selected = options.pagesOnly === true ? [] : (only ?? EXPERIMENTS);
  const dataDir = join(options.outDir, 'data');
  mkdirSync(dataDir, { recursive: true });

  const start = performance.now();
  const failures =
    selected.length === 0
      ? []
      : await runExperiments(selected, options, log, (experiment, run) =>
          writeRecord(dataDir, experimentRecord(experiment, `dropgrad ${commandFor(experiment, quick).join(' ')}`, run)),
        );
  writePages(options.outDir, quick, log, `this run took ${formatDurationInUnits((performance.now() - start) / 1000)}`);
  if (failures.length > 0) log(`failed: ${failures.join(', ')}`);
  return failures.length > 0 ? 1 : 0;
}

/**
 * `npm run results -- --shard I/N --json`: slice I of N of every selected experiment's runs
 * (results-shard.ts), returned as one results shard for the caller to print; undefined when an
 * experiment failed, since a slice with a part missing cannot be merged. Nothing is written.
 */
export async function runResultsShard(
  options: RunSettings & Pick<ResultsOptions, 'only' | 'log'> & { shard: Shard },
): Promise<ResultsShardReport | undefined> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const quick = options.quick ?? false;
  const selected = options.only === undefined ? EXPERIMENTS : selectExperiments(options.only);
  const runs: ResultsShardRun[] = [];
  const failures = await runExperiments(
    selected,
    options,
    log,
    (experiment, run) => runs.push({ name: experiment.name, ...run }),
    options.shard,
  );
  if (failures.length > 0) {
    log(`failed: ${failures.join(', ')}; slice ${formatShard(options.shard)} printed no report`);
    return undefined;
  }
  return {
    kind: resultsShardKind,
    shard: options.shard,
    config: { quick, experiments: selected.map((e) => ({ name: e.name, command: `dropgrad ${commandFor(e, quick).join(' ')}` })) },
    wallSeconds: runs.reduce((sum, run) => sum + run.seconds, 0),
    runs,
  };
}

/**
 * `npm run results -- --merge A.json B.json …`: the results shards of one run (in any order),
 * checked and merged experiment by experiment (results-shard.ts) into the records a single run
 * stores in <out>/data/, then every page written from them, as that run writes them.
 */
export function mergeResults(options: { files: readonly string[]; outDir: string; log?: (line: string) => void }): number {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { quick, records } = mergeResultsShards(options.files.map((file) => ({ file, value: readJsonFile(file, maxShardReportBytes) })));
  const dataDir = join(options.outDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  for (const record of records) writeRecord(dataDir, record);
  writePages(options.outDir, quick, log, `merged from ${options.files.length} slices: ${records.map((r) => r.name).join(', ')}`);
  return 0;
}

/** The seeds an experiment ran, from its JSON. */
function seedsOf(record: ExperimentRecord): number[] {
  if (record.kind === 'variance-shift') return (record.result as VarianceShiftReport).config.seeds;
  if (record.kind === 'stochastic-depth') return depthSeeds((record.result as StochasticDepthReport).config);
  const { seeds, seedOffset = 0 } = (record.result as CompareReport).config;
  return Array.from({ length: seeds }, (_, i) => seedOffset + i);
}
