/** One pass of training over the batches: forward, cross-entropy, backward, optimizer step. */
import { crossEntropy } from '../../lib/ops/cross-entropy';
import type { Module } from '../../nn/module';
import type { Optimizer } from '../../nn/optim/optimizer';
import type { Batches } from './batches';
import { countCorrect } from './metrics';
import { checkOptions, optionKeys } from '../../lib/validate';

export interface TrainProgress {
  batch: number;
  batches: number;
  examples: number;
  /** Running means over the epoch so far. */
  loss: number;
  accuracy: number;
  seconds: number;
}

export interface TrainEpochOptions {
  /** Called after every optimizer step (e.g. to draw a progress bar or step a schedule). */
  onStep?: (progress: TrainProgress) => void;
  /** Checked before each batch; true ends the epoch early (e.g. after Ctrl-C). */
  shouldStop?: () => boolean;
}
const trainEpochOptionKeys = optionKeys<TrainEpochOptions>({ onStep: true, shouldStop: true });

export interface EpochResult extends TrainProgress {
  /** False when shouldStop ended the epoch early. */
  completed: boolean;
}

/**
 * Lets pending events run (I/O, a SIGINT handler, a page's clicks) between two training steps.
 * setImmediate where it exists: setTimeout(0) waits ≥ 1 ms, about a second over an MNIST epoch.
 */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Asynchronous only so that it can yield between steps: a synchronous loop would hold the event
 * loop for the whole epoch, and a Ctrl-C handler (or a page's UI) could not run until it ended.
 */
export async function trainEpoch(
  model: Module,
  batches: Batches,
  optimizer: Optimizer,
  options: TrainEpochOptions = {},
): Promise<EpochResult> {
  checkOptions('trainEpoch', options, trainEpochOptionKeys);
  model.train();
  const start = performance.now();
  let [batch, examples, lossSum, correct] = [0, 0, 0, 0];
  const progress = (): TrainProgress => ({
    batch,
    batches: batches.length,
    examples,
    loss: examples ? lossSum / examples : NaN,
    accuracy: examples ? correct / examples : NaN,
    seconds: (performance.now() - start) / 1000,
  });
  for (const { x, y } of batches) {
    if (options.shouldStop?.()) return { ...progress(), completed: false };
    optimizer.zeroGrad();
    const logits = model.forward(x);
    const loss = crossEntropy(logits, y);
    const value = loss.item();
    if (!Number.isFinite(value)) {
      throw new RangeError(`train: the loss became ${value} at batch ${batch + 1}; lower the learning rate (--lr) or check the data`);
    }
    loss.backward();
    optimizer.step();
    batch++;
    examples += y.numel;
    lossSum += value * y.numel;
    correct += countCorrect(logits, y);
    options.onStep?.(progress());
    await yieldToEventLoop();
  }
  return { ...progress(), completed: true };
}
