/**
 * One training step of the default small CNN, dropgrad against its peers, interleaved in one run:
 *
 *   npm run bench:train [-- --rounds N] [-- --json]
 *
 * The step: models.smallCnn({ dtype: 'float32' }) (conv3×3 1→16 → BN → ReLU → maxpool 2 → conv3×3
 * 16→32 → BN → ReLU → maxpool 2 → Linear 1568→128 → ReLU → Linear 128→10) on a batch of 64 1×28×28
 * images, cross-entropy, backward, Adam (lr 1e-3). Rows: every dropgrad CPU backend, PyTorch on one
 * thread (a child process), ConvNetJS 0.3 and TensorFlow.js' cpu backend, all on the same batch.
 *
 * Round by round each system runs a few steps (its stepsPerRound) in turn, the order rotating
 * from round to round, so that a change in the machine's load (it is shared) falls on every system
 * alike; after one untimed warm-up round, the table reports each system's median ms/step over the
 * rounds. A system whose loss is not finite after its steps gets an error row instead of a time.
 */
import { parseArgs } from 'node:util';
import { median, machine, printColumns } from './harness';
import { randomBatch } from './train-step/batch';
import { convnetjsSystem } from './train-step/convnetjs';
import { dropgradConfigurations, dropgradSystem } from './train-step/dropgrad';
import { pytorchSystem } from './train-step/pytorch';
import { type SystemOrUnavailable, type TrainingSystem, isAvailable } from './train-step/system';
import { tfjsSystem } from './train-step/tfjs';

const seed = 11;
/** Five rounds keep a run near two and a half minutes, most of it TensorFlow.js' 16 s steps. */
const defaultRounds = 5;

/** What one system measured: ms per step of each timed round, or why it stopped. */
interface Row {
  readonly system: SystemOrUnavailable;
  readonly msPerStep: number[];
  loss: number;
  error?: string;
}

function options(): { rounds: number; json: boolean } {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, json: { type: 'boolean' } } });
  const rounds = Number(values.rounds ?? defaultRounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds: expected an integer ≥ 1, got ${values.rounds}`);
  return { rounds, json: values.json ?? false };
}

/** Runs the system's steps for one round; false (with row.error set) once it has failed. */
async function runRound(row: Row, system: TrainingSystem, timed: boolean): Promise<boolean> {
  try {
    const { ms, loss } = await system.run(system.stepsPerRound);
    row.loss = loss;
    if (!Number.isFinite(loss)) {
      row.error = `the loss became ${loss}`;
      return false;
    }
    if (timed) row.msPerStep.push(ms / system.stepsPerRound);
    return true;
  } catch (error) {
    row.error = (error as Error).message;
    return false;
  }
}

async function measure(systems: readonly SystemOrUnavailable[], rounds: number): Promise<Row[]> {
  const rows: Row[] = systems.map((system) => ({ system, msPerStep: [], loss: NaN }));
  for (let round = 0; round <= rounds; round++) {
    const order = rows.map((_, i) => rows[(i + round) % rows.length]);
    for (const row of order) {
      if (isAvailable(row.system) && row.error === undefined) await runRound(row, row.system, round > 0);
    }
  }
  return rows;
}

const ratio = (peer: Row | undefined, row: Row, ms: number): number =>
  peer && peer !== row && !peer.error ? median(peer.msPerStep) / ms : NaN;

async function main(): Promise<void> {
  const { rounds, json } = options();
  const batch = randomBatch(seed);
  const [count, channels, size] = batch.shape;
  const dropgrad = dropgradConfigurations().map((configuration) => dropgradSystem(configuration, batch, seed));
  const pytorch = await pytorchSystem(batch);
  const convnetjs = convnetjsSystem(batch);
  const tfjs = await tfjsSystem(batch);
  const systems = [...dropgrad, pytorch, convnetjs, tfjs];
  const title = `training step: models.smallCnn, batch ${count} of ${channels}×${size}×${size}, float32, Adam lr 1e-3, cross-entropy; median over ${rounds} interleaved rounds — ${machine()}`;
  if (!json) console.log(`${title}\n`);
  let rows: Row[];
  try {
    rows = await measure(systems, rounds);
  } finally {
    for (const system of systems) if (isAvailable(system)) system.close();
  }
  const find = (system: SystemOrUnavailable): Row | undefined => rows.find((row) => row.system === system);
  const summary = rows.map((row) => {
    const ms = row.error ? NaN : median(row.msPerStep);
    return {
      name: row.system.name,
      msPerStep: ms,
      examplesPerSecond: (count * 1000) / ms,
      vsPyTorch: ratio(find(pytorch), row, ms),
      vsConvnetjs: ratio(find(convnetjs), row, ms),
      vsTfjs: ratio(find(tfjs), row, ms),
      rounds: row.msPerStep.length,
      stepsPerRound: isAvailable(row.system) ? row.system.stepsPerRound : 0,
      loss: row.loss,
      error: isAvailable(row.system) ? row.error && `error: ${row.error}` : `unavailable: ${row.system.unavailable}`,
    };
  });
  if (json) {
    console.log(JSON.stringify({ title, date: new Date().toISOString(), batch: count, rounds, systems: summary }, null, 2));
    return;
  }
  // Three significant digits: tfjs-cpu is hundreds of times slower than PyTorch, 0.00× would hide it.
  const times = (value: number): string => (Number.isNaN(value) ? '—' : `${Number(value.toPrecision(3))}×`);
  printColumns(
    ['system', 'ms/step', 'examples/s', '× vs PyTorch 1 thread', 'rounds × steps', 'last loss'],
    summary.map((s) =>
      s.error !== undefined
        ? [s.name, '—', '—', '—', '—', s.error]
        : [
            s.name,
            s.msPerStep.toFixed(1),
            s.examplesPerSecond.toFixed(0),
            times(s.vsPyTorch),
            `${s.rounds} × ${s.stepsPerRound}`,
            s.loss.toFixed(3),
          ],
    ),
  );
  const dropgradRows = summary.slice(0, dropgrad.length);
  console.log('');
  for (const [peer, key] of [
    [convnetjs, 'vsConvnetjs'],
    [tfjs, 'vsTfjs'],
  ] as const) {
    console.log(`× vs ${peer.name}: ${dropgradRows.map((s) => `${s.name} ${times(s[key])}`).join(', ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
