/** `dropgrad` (or `npm run results`) run from the TypeScript sources in a child process, as a scheduler would start a shard. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The entries a child runs: `dropgrad`'s, and `npm run results`'s script. */
export const dropgradEntry = join(__dirname, '..', '..', 'app', 'cli', 'main.ts');
export const resultsEntry = join(__dirname, '..', '..', 'scripts', 'results.ts');

/** The scheduler variables --shard auto reads, kept out of the children unless a spec sets them. */
const schedulerVariables = [
  'JOB_COMPLETION_INDEX',
  'SLURM_ARRAY_TASK_ID',
  'SLURM_ARRAY_TASK_MIN',
  'SLURM_ARRAY_TASK_COUNT',
  'SLURM_ARRAY_TASK_STEP',
];

/** Runs `dropgrad ARGS` (or `entry`'s) in a child process with `env` added to this one's environment, less the scheduler's variables. */
export function cliProcess(
  args: readonly string[],
  env: Record<string, string> = {},
  entry = dropgradEntry,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !schedulerVariables.includes(name)));
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), entry, ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `dropgrad ARGS` (e.g. `compare …`; or `entry`'s ARGS) as the 3 shards of one study, each told its
 * slice another way: `--shard 1/3`, a Kubernetes Indexed Job's second pod (JOB_COMPLETION_INDEX=1
 * with `--shards 3`) and a Slurm array's third task (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN = 2
 * of SLURM_ARRAY_TASK_COUNT=3); run at once, as 3 processes.
 */
export const threeShardProcesses = (args: readonly string[], entry = dropgradEntry): ReturnType<typeof cliProcess>[] => [
  cliProcess([...args, '--shard', '1/3'], {}, entry),
  cliProcess([...args, '--shard', 'auto', '--shards', '3'], { JOB_COMPLETION_INDEX: '1' }, entry),
  cliProcess([...args, '--shard', 'auto'], { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '3' }, entry),
];
