/**
 * `--shard I/N` and `--shard auto` (with `--shards N`): which slice of a study's runs this process
 * runs (app/experiments/shard.ts). `auto` reads it from the scheduler that started the process:
 * a Kubernetes Indexed Job gives each pod JOB_COMPLETION_INDEX (0-based) but not the count, so the
 * count comes from `--shards N`; a Slurm job array gives SLURM_ARRAY_TASK_ID, _MIN and _COUNT.
 */
import type { FlagSpecs, Flags } from '../flags/flag-spec';
import { UsageError } from '../flags/usage-error';
import { parseNumber } from '../flags/flag-values';
import type { Shard } from '../experiments/shard';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * @param runs what a study is made of, the units sliced, e.g. "(technique, seed) runs"
 * @param run one of them, counted in the canonical order, e.g. "run"
 * @param slices what else --help says of the slicing, and what merges the partial reports (default `dropgrad merge`)
 */
export const shardFlags = (runs: string, run: string, slices: { note?: string; mergedBy?: string } = {}): FlagSpecs => ({
  shard: {
    type: 'string',
    value: 'I/N|auto',
    description:
      `run only slice I of N of the ${runs} (${run} k goes to slice k mod N + 1${slices.note ?? ''}) ` +
      `and print a partial report for ${slices.mergedBy ?? '`dropgrad merge`'}; ` +
      'auto: the slice of a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards) or a Slurm job array (SLURM_ARRAY_TASK_ID)',
  },
  shards: {
    type: 'string',
    value: 'N',
    description: "with --shard auto in a Kubernetes Indexed Job: the number of slices (the Job's completions)",
  },
});

const k8sIndex = 'JOB_COMPLETION_INDEX';
const slurmId = 'SLURM_ARRAY_TASK_ID';
const slurmMin = 'SLURM_ARRAY_TASK_MIN';
const slurmCount = 'SLURM_ARRAY_TASK_COUNT';
const slurmStep = 'SLURM_ARRAY_TASK_STEP';

/** A scheduler's variable as a non-negative integer in decimal digits. */
function environmentInteger(env: Environment, name: string, scheduler: string): number {
  const value = env[name];
  if (value === undefined) throw new UsageError(`--shard auto: ${name} is not set, yet ${scheduler} sets it`);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--shard auto: ${name}: expected an integer ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

function kubernetesShard(env: Environment, shards: number | undefined): Shard {
  const index = environmentInteger(env, k8sIndex, 'a Kubernetes Indexed Job');
  if (shards === undefined)
    throw new UsageError(
      `--shard auto: ${k8sIndex}=${index} says this is pod ${index} of a Kubernetes Indexed Job, which is not told how many there are: ` +
        "give --shards N (the Job's completions)",
    );
  if (index >= shards)
    throw new UsageError(`--shard auto: ${k8sIndex}=${index} is out of range for --shards ${shards} (expected 0 … ${shards - 1})`);
  return { index: index + 1, count: shards };
}

function slurmShard(env: Environment, shards: number | undefined): Shard {
  const scheduler = 'a Slurm job array';
  const [id, min, count] = [slurmId, slurmMin, slurmCount].map((name) => environmentInteger(env, name, scheduler));
  const step = env[slurmStep];
  // With a step (--array=0-8:2) the IDs are not consecutive, so ID − MIN would leave slices out.
  if (step !== undefined && step !== '1')
    throw new UsageError(`--shard auto: ${slurmStep}=${step}: the array must be one range with step 1 (e.g. --array=0-${count - 1})`);
  if (count === 0) throw new UsageError(`--shard auto: ${slurmCount}=0: expected at least one task`);
  const index = id - min;
  if (index < 0 || index >= count)
    throw new UsageError(
      `--shard auto: ${slurmId}=${id} − ${slurmMin}=${min} = ${index} is out of range for ${slurmCount}=${count} (expected 0 … ${count - 1}): ` +
        `the array must be one contiguous range (e.g. --array=0-${count - 1})`,
    );
  if (shards !== undefined && shards !== count)
    throw new UsageError(`--shards ${shards} conflicts with ${slurmCount}=${count}: leave --shards out in a Slurm job array`);
  return { index: index + 1, count };
}

/** The slice the scheduler gave this process, from its environment. */
export function shardFromEnvironment(env: Environment, shards: number | undefined): Shard {
  const k8s = env[k8sIndex] !== undefined;
  const slurm = env[slurmId] !== undefined;
  if (k8s && slurm)
    throw new UsageError(
      `--shard auto: both ${k8sIndex}=${env[k8sIndex]} (a Kubernetes Indexed Job) and ${slurmId}=${env[slurmId]} (a Slurm job array) are set; ` +
        'unset the one that does not apply, or give --shard I/N',
    );
  if (k8s) return kubernetesShard(env, shards);
  if (slurm) return slurmShard(env, shards);
  throw new UsageError(
    `--shard auto: neither ${k8sIndex} (a Kubernetes Indexed Job) nor ${slurmId} (a Slurm job array) is set in the environment; ` +
      'give --shard I/N instead',
  );
}

/** `--shard I/N` or `--shard auto`; undefined without --shard (the whole study). */
export function parseShardFlags(flags: Flags, env: Environment): Shard | undefined {
  const shards = flags.shards !== undefined ? parseNumber('shards', String(flags.shards), { integer: true, min: 1 }) : undefined;
  if (shards !== undefined && flags.shard !== 'auto')
    throw new UsageError(
      `--shards ${shards}: only with --shard auto (in a Kubernetes Indexed Job); ` +
        `${flags.shard === undefined ? 'without --shard the whole study runs' : '--shard I/N gives the count N itself'}`,
    );
  if (flags.shard === undefined) return undefined;
  const value = String(flags.shard);
  if (value === 'auto') return shardFromEnvironment(env, shards);
  const parts = value.split('/');
  if (parts.length !== 2)
    throw new UsageError(`--shard: expected I/N (slice I of N, 1 ≤ I ≤ N, e.g. 2/8) or auto, got ${JSON.stringify(value)}`);
  const count = parseNumber('shard (N)', parts[1], { integer: true, min: 1 });
  return { index: parseNumber('shard (I)', parts[0], { integer: true, min: 1, max: count }), count };
}
