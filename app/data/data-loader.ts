/**
 * DataLoader: batches of an in-memory ImageDataset, as PyTorch's torch.utils.data.DataLoader.
 *
 *   for (const { x, y } of new DataLoader(train, { batchSize: 64, shuffle: true, generator })) …
 *
 * x is [B,C,H,W] and y is [B] (class indices, in x's dtype, as crossEntropy takes them). Each
 * pass over the loader is one epoch: with `shuffle`, a fresh Fisher–Yates permutation drawn from
 * the generator, so the order of every epoch is reproducible from the generator's seed (and the
 * generator's state can be checkpointed to resume mid-training). Batches are filled by copying
 * image slices into one typed array; transforms (augmentations such as cutout) then run on the
 * whole batch, in order.
 */
import { Tensor } from '../../lib/tensor';
import { type DType, allocate, isDType } from '../../base/dtype';
import { type Generator, defaultGenerator } from '../../lib/random/generator';
import { type ImageDataset, checkImageDataset } from './dataset';
import type { Batch } from '../training/batches';
import { checkOptions, checkPositiveInteger, optionKeys } from '../../lib/validate';

export type { Batch };

export type BatchTransform = (batch: Tensor) => Tensor;

export interface DataLoaderOptions {
  /** Examples per batch (default 1). */
  batchSize?: number;
  /** Reorder the examples at the start of every epoch (default false). */
  shuffle?: boolean;
  /** The source of shuffles (default: the global generator). */
  generator?: Generator;
  /** Skip the last batch when it would be smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Applied to every x batch, in order. */
  transforms?: readonly BatchTransform[];
  /** dtype of x and y (default 'float32'). */
  dtype?: DType;
  /** Use only the first `limit` examples (quick runs); default all. */
  limit?: number;
}
const dataLoaderOptionKeys = optionKeys<DataLoaderOptions>({
  batchSize: true,
  shuffle: true,
  generator: true,
  dropLast: true,
  transforms: true,
  dtype: true,
  limit: true,
});

export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly dtype: DType;
  /** The number of examples used per epoch (the dataset's size, or `limit` when smaller). */
  readonly size: number;
  private readonly generator: Generator;
  private readonly transforms: readonly BatchTransform[];

  constructor(
    readonly dataset: ImageDataset,
    options: DataLoaderOptions = {},
  ) {
    checkImageDataset(dataset, 'DataLoader');
    checkOptions('DataLoader', options, dataLoaderOptionKeys);
    this.batchSize = checkPositiveInteger('DataLoader', 'batchSize', options.batchSize ?? 1);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.dtype = options.dtype ?? 'float32';
    if (!isDType(this.dtype)) throw new TypeError(`DataLoader: dtype must be 'float64' or 'float32', got ${JSON.stringify(this.dtype)}`);
    this.generator = options.generator ?? defaultGenerator;
    this.transforms = options.transforms ?? [];
    const available = dataset.labels.length;
    this.size = options.limit === undefined ? available : Math.min(available, checkPositiveInteger('DataLoader', 'limit', options.limit));
  }

  /** Batches per epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  /** The example indices of one epoch, in visiting order. */
  private epochOrder(): Uint32Array {
    const order = new Uint32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (this.shuffle) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = this.generator.integer(0, i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    return order;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { images, labels, shape } = this.dataset;
    const imageSize = shape[0] * shape[1] * shape[2];
    const order = this.epochOrder();
    for (let batch = 0; batch < this.length; batch++) {
      const indices = order.subarray(batch * this.batchSize, (batch + 1) * this.batchSize);
      const x = allocate(this.dtype, indices.length * imageSize);
      const y = allocate(this.dtype, indices.length);
      indices.forEach((example, row) => {
        x.set(images.subarray(example * imageSize, (example + 1) * imageSize), row * imageSize);
        y[row] = labels[example];
      });
      const input = this.transforms.reduce((t, transform) => transform(t), Tensor.fromData(x, [indices.length, ...shape]));
      yield { x: input, y: Tensor.fromData(y, [indices.length]) };
    }
  }
}
