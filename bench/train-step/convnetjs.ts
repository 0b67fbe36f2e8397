/**
 * The ConvNetJS row: the small CNN's layers without batch norm (ConvNetJS 0.3 has none; its conv
 * layers carry a bias instead), trained one example at a time as ConvNetJS does, its trainer
 * summing 64 examples' gradients into one update.
 *
 * The optimizer is adadelta, not Adam: the npm release 0.3.0 has no Adam (it came to the GitHub
 * repository later), and an unknown method name silently runs SGD with momentum. Adadelta keeps
 * two running averages per weight like Adam, and the update is a small part of the step anyway.
 */
import { Net, Trainer, Vol } from 'convnetjs';
import type { TrainBatch } from '../small-cnn/batch';
import type { TimedSystem } from '../interleave';

export function convnetjsSystem(batch: TrainBatch): TimedSystem {
  const [count, , size] = batch.shape;
  const net = new Net();
  net.makeLayers([
    { type: 'input', out_sx: size, out_sy: size, out_depth: 1 },
    { type: 'conv', sx: 3, filters: 16, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 128, activation: 'relu' },
    { type: 'softmax', num_classes: batch.classes },
  ]);
  const trainer = new Trainer(net, { method: 'adadelta', batch_size: count });
  const pixels = size * size;
  // One channel, so ConvNetJS' [y][x][depth] layout is the batch's NCHW rows as they are.
  const examples = Array.from({ length: count }, (_, i) => {
    const vol = new Vol(size, size, 1, 0);
    vol.w.set(batch.images.subarray(i * pixels, (i + 1) * pixels));
    return vol;
  });
  return {
    name: 'ConvNetJS 0.3 (no BN)',
    batch: count,
    stepsPerRound: 1,
    async run(steps) {
      let loss = NaN;
      const start = performance.now();
      for (let step = 0; step < steps; step++) {
        let sum = 0;
        for (let i = 0; i < count; i++) sum += trainer.train(examples[i], batch.labels[i]).cost_loss;
        loss = sum / count;
      }
      return { ms: performance.now() - start, value: loss };
    },
    close() {},
  };
}
