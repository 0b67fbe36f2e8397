import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runResults } from '../app/results/run-results';
import { runResultsCommand } from '../app/cli/results-command';
import type { ExperimentRecord } from '../app/results/experiments';
import type { ResultsShardReport } from '../app/results/results-shard';
import type { Environment } from '../app/cli/shard-flags';
import { bufferIO } from './helpers/buffer-io';
import { useTempDir } from './helpers/data-files';
import { cliProcess, resultsEntry, threeShardProcesses } from './helpers/cli-child';

type Json = Record<string, unknown>;

/**
 * The fields of a record that are measured times, and only those: the record's `seconds` (its
 * command's wall time) and `finishedAt` (when it ended); in compare's report `config.wallSeconds`
 * and each row's `secondsPerEpoch`; in stochastic depth's each variant's `secondsPerEpoch` and what
 * is computed from them alone, `timeSaving` and `timePValue`. variance-shift's report has none.
 */
function timeFields(record: Json): Array<[Json, string]> {
  const result = record.result as Json;
  const fields: Array<[Json, string]> = [
    [record, 'seconds'],
    [record, 'finishedAt'],
  ];
  if (record.kind === 'compare') {
    fields.push([result.config as Json, 'wallSeconds']);
    for (const row of result.rows as Json[]) fields.push([row, 'secondsPerEpoch']);
  }
  if (record.kind === 'stochastic-depth')
    fields.push(
      [result.baseline as Json, 'secondsPerEpoch'],
      [result.stochasticDepth as Json, 'secondsPerEpoch'],
      [result, 'timeSaving'],
      [result, 'timePValue'],
    );
  return fields;
}

const pageFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.md') || f.endsWith('.svg'))
    .sort();
const records = (dir: string): string[] => readdirSync(join(dir, 'data')).sort();
const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

/** `npm run results ARGS` in this process: the exit status, what it wrote, or the usage error it threw. */
async function resultsCommand(args: string[], env: Environment = {}): Promise<{ code: number; out: string; err: string; error: string }> {
  const io = bufferIO();
  let [code, error] = [-1, ''];
  await runResultsCommand(args, io, env).then(
    (c) => (code = c),
    (e: Error) => (error = `${e.name}: ${e.message}`),
  );
  return { code, out: io.stdout(), err: io.stderr(), error };
}

describe('npm run results --shard I/N and --merge', function () {
  this.timeout(400000);
  const tempDir = useTempDir();
  let shards: string[];
  let single: string;
  let work: string;

  before(async function () {
    if (!existsSync('/usr/share/datasets/fashion-mnist')) this.skip();
    // useTempDir's directory is made per test; this one is shared by them.
    work = join(tmpdir(), `dropgrad-results-shard-${process.pid}`);
    single = join(work, 'single');
    const [, ...slices] = await Promise.all([
      runResults({ outDir: single, quick: true, progress: false, log: () => {} }),
      ...threeShardProcesses(['--quick', '--json'], resultsEntry),
    ]);
    shards = slices.map((slice, i) => {
      expect(slice.code, slice.stderr).to.equal(0);
      expect(slice.stderr).to.contain(`slice ${i + 1}/3 of each experiment's runs (variance-shift runs whole in slice 3/3)`);
      return slice.stdout;
    });
  });

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('3 slices as 3 processes (--shard 1/3, a Kubernetes pod, a Slurm task), merged, write the records and pages of one --quick run byte for byte but for the measured times', async () => {
    const reports = shards.map((s) => JSON.parse(s) as ResultsShardReport);
    const names = ['compare-fashion-mnist', 'compare-mnist', 'stochastic-depth', 'variance-shift'];
    for (const [i, report] of reports.entries()) {
      expect([report.kind, report.shard, report.config.quick]).to.deep.equal(['results shard', { index: i + 1, count: 3 }, true]);
      expect(report.runs.map((run) => run.name)).to.deep.equal(names);
      // compare and stochastic depth run their slice with their own --shard; variance-shift runs whole in the last slice.
      expect(report.runs.map((run) => (run.result === null ? null : ((run.result as Json).kind ?? 'whole')))).to.deep.equal([
        'compare shard',
        'compare shard',
        'stochastic-depth shard',
        i === 2 ? 'whole' : null,
      ]);
    }
    const merged = join(work, 'merged');
    const paths = ['c.json', 'a.json', 'b.json'].map((name, i) => {
      writeFileSync(join(work, name), shards[[2, 0, 1][i]]);
      return join(work, name);
    });
    const merge = await cliProcess(['--merge', ...paths, '--out', merged], {}, resultsEntry);
    expect(merge.code, merge.stderr).to.equal(0);
    expect(merge.stdout).to.contain(
      `wrote ${merged}/README.md, claims.md and 4 experiment pages; merged from 3 slices: compare-fashion-mnist, compare-mnist, stochastic-depth, variance-shift`,
    );
    expect(records(merged)).to.deep.equal(records(single));
    expect(pageFiles(merged)).to.deep.equal(pageFiles(single)).and.have.length(10);

    // The merge writes the pages a run writes from its records: --pages rebuilds the same.
    const written = pageFiles(merged).map((f) => read(merged, f));
    expect(await runResults({ outDir: merged, pagesOnly: true, quick: true, log: () => {} })).to.equal(0);
    expect(pageFiles(merged).map((f) => read(merged, f))).to.deep.equal(written);

    // The time fields are the slices' own, added as one run adds its parts.
    for (const name of records(merged)) {
      const record = JSON.parse(read(merged, `data/${name}`)) as ExperimentRecord;
      const parts = reports.map((r) => r.runs.find((run) => run.name === record.name)!);
      expect(record.seconds, name).to.equal(parts.reduce((sum, run) => sum + run.seconds, 0));
      if (record.kind === 'compare')
        expect((record.result as { config: Json }).config.wallSeconds).to.equal(
          parts.reduce((sum, run) => sum + ((run.result as Json).wallSeconds as number), 0),
        );
    }

    // With the single run's measured times in their place, the records are the single run's byte
    // for byte, and so are the pages written from them.
    for (const name of records(merged)) {
      const text = read(merged, `data/${name}`);
      const record = JSON.parse(text) as Json;
      expect(`${JSON.stringify(record, null, 2)}\n`, 'the record is written as JSON.stringify writes it').to.equal(text);
      const own = timeFields(JSON.parse(read(single, `data/${name}`)) as Json);
      for (const [i, [object, key]] of timeFields(record).entries()) {
        expect(object[key], `${name} ${key}`).not.to.equal(undefined);
        object[key] = own[i][0][key];
      }
      writeFileSync(join(merged, 'data', name), `${JSON.stringify(record, null, 2)}\n`);
      expect(read(merged, `data/${name}`), name).to.equal(read(single, `data/${name}`));
    }
    expect(await runResults({ outDir: merged, pagesOnly: true, quick: true, log: () => {} })).to.equal(0);
    for (const page of pageFiles(single)) expect(read(merged, page), page).to.equal(read(single, page));
  });

  it('refuses a bad merge by name, writing nothing: a slice missing or twice, two runs, another kind, parts of other slices (exit status 1 from the script)', async () => {
    const dir = tempDir();
    const file = (name: string, value: string | object): string => {
      writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
      return join(dir, name);
    };
    const [a, b, c] = ['a.json', 'b.json', 'c.json'].map((name, i) => file(name, shards[i]));
    /** Slice i with a change, in a file of its own. */
    const edited = (name: string, i: number, change: (report: ResultsShardReport) => void): string => {
      const report = JSON.parse(shards[i]) as ResultsShardReport;
      change(report);
      return file(name, report);
    };
    const part = (i: number, j: number): unknown => (JSON.parse(shards[i]) as ResultsShardReport).runs[j].result;
    const out = join(dir, 'out');
    const refusal = async (paths: string[]): Promise<string> => {
      const { code, out: stdout, err, error } = await resultsCommand(['--merge', ...paths, '--out', out]);
      expect([code, stdout, err, existsSync(out)]).to.deep.equal([-1, '', '', false]);
      return error.replaceAll(`${dir}/`, '');
    };
    expect(await refusal([a, c])).to.equal("Error: shard 2/3 of a.json's study is missing: a merge needs all 3");
    expect(await refusal([a, b, c, file('a2.json', shards[0])])).to.equal('Error: a.json and a2.json are both shard 1/3');
    const other = edited('other.json', 1, (r) => {
      r.config.experiments[3].command += ' --epochs 2';
    });
    expect(await refusal([a, other, c])).to.match(
      /^Error: a\.json and other\.json are shards of different studies: their config\.experiments\[3\]\.command differ \("dropgrad variance-shift .+ --json" in a\.json, "dropgrad variance-shift .+ --json --epochs 2" in other\.json\)$/,
    );
    expect(await refusal([a, file('compare.json', part(1, 0) as object), c])).to.equal(
      'Error: compare.json is not a results shard report (it is a "compare shard" report): shards come from `npm run results -- --shard I/N --json`',
    );
    const record = file('record.json', readFileSync(join(single, 'data', 'compare-mnist.json'), 'utf8'));
    expect(await refusal([record, b, c])).to.equal(
      'Error: record.json is not a results shard report (it is the report of a whole study): shards come from `npm run results -- --shard I/N --json`',
    );
    // A slice whose parts are another slice's, or a study of their own, is refused by the experiment's merge.
    const swapped = edited('swapped.json', 0, (r) => {
      r.runs[1].result = part(1, 1);
    });
    expect(await refusal([swapped, b, c])).to.equal(
      'Error: swapped.json (compare-mnist): result.shard: expected the slice of the results shard, 1/3, got "2/3"',
    );
    const epochs = edited('epochs.json', 1, (r) => {
      ((r.runs[2].result as Json).config as Json).epochs = 2;
    });
    expect(await refusal([a, epochs, c])).to.equal(
      'Error: a.json (stochastic-depth) and epochs.json (stochastic-depth) are shards of different studies: their config.epochs differ (1 in a.json (stochastic-depth), 2 in epochs.json (stochastic-depth))',
    );
    const shifted = edited('shifted.json', 0, (r) => {
      r.runs[3].result = part(2, 3);
    });
    expect(await refusal([shifted, b, c])).to.match(
      /^Error: shifted\.json \(variance-shift\): result: expected null: variance-shift runs whole in slice 3\/3, got \{"config":/,
    );
    const script = await cliProcess(['--merge', a, c, '--out', out], {}, resultsEntry);
    expect([script.code, script.stdout, script.stderr.replaceAll(`${dir}/`, '')]).to.deep.equal([
      1,
      '',
      "npm run results: shard 2/3 of a.json's study is missing: a merge needs all 3\n",
    ]);
  });

  it('refuses flags that cannot work together before any work, naming them (exit status 2 from the script)', async () => {
    const cases: Array<[string[], Environment, string]> = [
      [['--shard', '1/3'], {}, "--shard 1/3: a slice's report is JSON on stdout, for --merge; add --json"],
      [['--json'], {}, '--json: only a slice (--shard I/N) prints JSON; a whole run writes its records and pages to --out'],
      [
        ['--shard', '2/3', '--json', '--out', 'x'],
        {},
        '--out with --shard 2/3: a slice writes no page; its report goes to stdout, and `--merge SHARD.json… --out DIR` writes the pages',
      ],
      [['--shard', '1/3', '--json', '--pages'], {}, '--pages with --shard 1/3: --pages runs no experiment'],
      [
        ['--shards', '3', '--json'],
        {},
        '--shards 3: only with --shard auto (in a Kubernetes Indexed Job); without --shard the whole study runs',
      ],
      [['--shard', 'auto', '--json'], {}, '--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID'],
      [
        ['--shard', 'auto', '--json'],
        { JOB_COMPLETION_INDEX: '0' },
        "--shard auto: JOB_COMPLETION_INDEX=0 says this is pod 0 of a Kubernetes Indexed Job, which is not told how many there are: give --shards N (the Job's completions)",
      ],
      [['--merge'], {}, '--merge: expected the slices to merge (SHARD.json…), got none'],
      [
        ['--merge', '--quick', 'a.json'],
        {},
        '--quick with --merge: the slices say which experiments ran and how; give --merge only the files and --out',
      ],
      [['a.json'], {}, 'unexpected argument "a.json": files are read only with --merge (flags start with --)'],
      [
        ['--shrad', '1/3'],
        {},
        'results: unknown flag --shrad; expected one of --only, --quick, --pages, --out, --shard, --shards, --json, --merge',
      ],
      [['--only', 'nope', '--shard', '1/3', '--json'], {}, '--only: unknown name nope; expected experiments compare-fashion-mnist,'],
    ];
    for (const [args, env, message] of cases) {
      const { code, out, err, error } = await resultsCommand(args, env);
      expect(error, args.join(' ')).to.contain(`UsageError: ${message}`);
      expect([code, out, err], args.join(' ')).to.deep.equal([-1, '', '']);
    }
    const script = await cliProcess(['--shard', '1/3'], {}, resultsEntry);
    expect([script.code, script.stdout, script.stderr]).to.deep.equal([
      2,
      '',
      "npm run results: --shard 1/3: a slice's report is JSON on stdout, for --merge; add --json\n",
    ]);
    const help = await resultsCommand(['--help']);
    expect(help.out).to.match(/^Usage: npm run results -- \[flags\] SHARD\.json…\n/);
  });
});
