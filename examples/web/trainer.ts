/**
 * Trains the small CNN (nn/models/small-cnn.ts, narrow) on the shipped training digits, with the
 * chosen technique applied to each input batch, one Adam step at a time with a pause between
 * steps so the page stays responsive and the chart can move.
 */
import { Generator, Tensor, models, mul, noGrad, optim, tensor, F } from '../../browser';
import type { ImageDataset } from '../../browser';
import type { Technique } from './techniques';

export interface TrainingOptions {
  train: ImageDataset;
  test: ImageDataset;
  steps: number;
  batchSize: number;
  technique: Technique;
  values: Readonly<Record<string, number>>;
  seed: number;
  /** Called after every step; `accuracy` (on the test digits) every `evaluateEvery` steps and at the end. */
  onStep(step: number, loss: number, accuracy: number | undefined): void;
  /** Polled before every step: true stops the run. */
  stopped(): boolean;
}

const evaluateEvery = 10;

/** The images at `indices` as a [count,C,H,W] float32 tensor, and their labels. */
function batch(data: ImageDataset, indices: readonly number[]): { x: Tensor; y: Tensor } {
  const imageSize = data.shape[0] * data.shape[1] * data.shape[2];
  const images = new Float32Array(indices.length * imageSize);
  indices.forEach((index, row) => {
    images.set(data.images.subarray(index * imageSize, (index + 1) * imageSize), row * imageSize);
  });
  return { x: Tensor.fromData(images, [indices.length, ...data.shape]), y: tensor(indices.map((index) => data.labels[index])) };
}

function accuracy(model: ReturnType<typeof models.smallCnn>, test: ImageDataset): number {
  const { x } = batch(
    test,
    Array.from(test.labels, (_, i) => i),
  );
  model.eval();
  const logits = noGrad(() => model.forward(x)).contiguousData();
  model.train();
  const classes = logits.length / test.labels.length;
  let correct = 0;
  test.labels.forEach((label, n) => {
    const row = Array.from(logits.subarray(n * classes, (n + 1) * classes));
    if (row.indexOf(Math.max(...row)) === label) correct++;
  });
  return correct / test.labels.length;
}

export async function train(options: TrainingOptions): Promise<void> {
  const { train: data, test, steps, batchSize, technique, values } = options;
  const generator = new Generator(options.seed);
  const model = models.smallCnn({ channels: [8, 16], hidden: 64, dtype: 'float32', generator });
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.005 });
  const order = Array.from(data.labels, (_, i) => i);
  for (let step = 1; step <= steps && !options.stopped(); step++) {
    const start = ((step - 1) * batchSize) % order.length;
    if (start === 0) shuffle(order, generator);
    const { x, y } = batch(data, order.slice(start, start + batchSize));
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.forward(mul(x, technique.mask(x, values, generator))), y);
    loss.backward();
    optimizer.step();
    options.onStep(step, loss.item(), step % evaluateEvery === 0 || step === steps ? accuracy(model, test) : undefined);
    await new Promise((resume) => setTimeout(resume, 0));
  }
}

function shuffle(order: number[], generator: Generator): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = generator.integer(0, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
}
