/**
 * nn.BatchNorm1d / nn.BatchNorm2d / nn.BatchNorm3d with exactly PyTorch's semantics and state-dict keys
 * (weight, bias, running_mean, running_var, num_batches_tracked); the math is in
 * lib/ops/batchnorm.ts and docs/batchnorm.md.
 *
 * - training: normalise with the batch's biased variance; update running_mean and running_var
 *   (the *unbiased* variance) by `momentum`, or by a cumulative average when momentum is null;
 * - eval: normalise with the running statistics;
 * - trackRunningStats: false keeps no buffers and uses batch statistics in eval too.
 */
import type { Tensor } from '../lib/tensor';
import { batchNorm, checkEps, checkMomentum } from '../lib/ops/batchnorm';
import { formatShape } from '../base/shape';
import { full, zeros } from '../lib/creation';
import { Module } from './module';
import { Parameter } from './parameter';
import { checkBoolean, checkOptions, checkPositiveInteger, optionKeys } from '../lib/validate';
import { type DType, checkDType } from '../base/dtype';

export interface BatchNormOptions {
  /** Added to the variance before the square root so σ is never 0; finite, ≥ 0 (default 1e-5). */
  eps?: number;
  /** Weight of the newest batch in the running averages; null = cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn γ and β (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true). */
  trackRunningStats?: boolean;
  dtype?: DType;
}
const batchNormOptionKeys = optionKeys<BatchNormOptions>({ eps: true, momentum: true, affine: true, trackRunningStats: true, dtype: true });

abstract class BatchNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly trackRunningStats: boolean;

  /** The input ranks this layer accepts, for the error message. */
  protected abstract readonly ranks: readonly number[];

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    const where = new.target.name;
    checkPositiveInteger(where, 'numFeatures', numFeatures);
    checkOptions(where, options, batchNormOptionKeys);
    this.eps = checkEps(options.eps ?? 1e-5, where);
    this.momentum = checkMomentum(options.momentum === undefined ? 0.1 : options.momentum, where);
    this.trackRunningStats = checkBoolean(where, 'trackRunningStats', options.trackRunningStats ?? true);
    const dtype = checkDType(options.dtype ?? 'float64', where);
    const affine = checkBoolean(where, 'affine', options.affine ?? true);
    this.weight = affine ? new Parameter(full([numFeatures], 1, { dtype })) : null;
    this.bias = affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype }) : null);
    this.runningVar = this.registerBuffer('runningVar', track ? full([numFeatures], 1, { dtype }) : null);
    this.numBatchesTracked = this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'float64' }) : null);
  }

  override forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim)) {
      throw new RangeError(`${this.constructor.name}: expected a ${this.ranks.join('-D or ')}-D input, got shape ${formatShape(x.shape)}`);
    }
    const useBatchStats = this.training || !this.trackRunningStats;
    return batchNorm(
      x,
      this.runningMean,
      this.runningVar,
      this.weight,
      this.bias,
      useBatchStats,
      this.momentum,
      this.eps,
      this.numBatchesTracked,
    );
  }

  /** Resets the running statistics to their initial values (mean 0, variance 1, count 0). */
  resetRunningStats(): void {
    this.runningMean?.writableStorage().fill(0);
    this.runningVar?.writableStorage().fill(1);
    this.numBatchesTracked?.writableStorage().fill(0);
  }

  protected override describe(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch norm over (N, C) or (N, C, L) inputs. */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

/** Batch norm over (N, C, H, W) inputs. */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}

/** Batch norm over (N, C, D, H, W) inputs (volumes, video): statistics over N·D·H·W per channel. */
export class BatchNorm3d extends BatchNorm {
  protected readonly ranks = [5];
}
