/**
 * The input batch every system of a row runs on: MNIST-sized images (1×28×28, NCHW, uniform [0, 1)
 * like normalized pixels) and their class labels, drawn from a fixed seed, so each system gets the
 * same numbers.
 */
import { Generator } from '../../index';

export interface TrainBatch {
  /** [batch, channels, size, size] (the small CNN's input layout). */
  readonly shape: readonly [number, number, number, number];
  readonly classes: number;
  /** Row-major NCHW pixels. */
  readonly images: Float32Array;
  /** One class index per image. */
  readonly labels: Int32Array;
}

export function randomBatch(seed: number, batch = 64, size = 28, classes = 10): TrainBatch {
  const generator = new Generator(seed);
  const images = new Float32Array(batch * size * size);
  for (let i = 0; i < images.length; i++) images[i] = generator.random();
  const labels = Int32Array.from({ length: batch }, () => generator.integer(0, classes));
  return { shape: [batch, 1, size, size], classes, images, labels };
}
