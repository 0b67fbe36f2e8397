/**
 * batchNorm over the channel dim of (N,C), (N,C,L), (N,C,H,W) or (N,C,D,H,W) inputs, with PyTorch's
 * semantics.
 *
 *   forward:  x̂ = (x − μ) / σ,  σ = sqrt(var + eps),  y = γ·x̂ + β
 *             (μ, var: biased batch statistics per channel when using batch stats, else the
 *             running statistics)
 *   backward, batch statistics (M = N·S values per channel; derivation in docs/batchnorm.md):
 *             dx = γ/(M·σ) · (M·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
 *   backward, running statistics (μ and σ are constants):  dx = γ/σ · dy
 *   Under createGraph the backward is these formulas in Tensor ops (batchnorm-graph-backward.ts).
 *   With eps = 0 a constant channel has var = 0: with batch statistics 1/σ is taken as 0 there, as
 *   PyTorch's CPU kernel does, so y = β and every gradient through it is 0 (not 0·∞ = NaN).
 *
 * Running statistics (training, buffers given), after all arguments are validated:
 *   running_mean ← (1 − f)·running_mean + f·μ
 *   running_var  ← (1 − f)·running_var  + f·var·M/(M − 1)     (unbiased, as PyTorch stores it)
 *   numBatchesTracked ← numBatchesTracked + 1
 * where f = momentum, or 1/numBatchesTracked (after the increment) when momentum is null: the
 * cumulative moving average, i.e. the plain mean of every batch's statistics so far.
 */
import { Tensor, markWritten } from '../tensor';
import { defineOp } from '../define-op';
import { isGradEnabled } from '../grad-mode';
import { type DType, allocate, allocateUnfilled } from '../../base/dtype';
import { formatShape, formatValue } from '../../base/shape';
import { checkNonNegative } from '../validate';
import { type ChannelLayout, batchNormKernels, valuesPerChannel } from '../../kernels/batchnorm';
import { reusingOperands } from '../../kernels/operand-reuse';
import { channelGain } from '../../kernels/batchnorm/training';
import { type BatchNormGraphInputs, batchNormGradientsInOps } from './batchnorm-graph-backward';

interface BatchNormSaved extends BatchNormGraphInputs {
  x: Float64Array | Float32Array;
  shape: number[];
  layout: ChannelLayout;
  gamma: Float64Array;
  weightDType: DType;
  biasDType: DType;
}

function channelLayout(x: Tensor): ChannelLayout {
  if (x.ndim < 2 || x.ndim > 5) {
    throw new RangeError(
      `batchNorm: expected a 2-D (N,C), 3-D (N,C,L), 4-D (N,C,H,W) or 5-D (N,C,D,H,W) input, got shape ${formatShape(x.shape)}`,
    );
  }
  const [batch, channels, ...rest] = x.shape;
  return { batch, channels, spatial: rest.reduce((a, b) => a * b, 1) };
}

/** Checks a per-channel tensor (weight, bias, running stats) holds exactly one value per channel. */
function checkPerChannel(t: Tensor | null, name: string, x: Tensor, channels: number): void {
  if (t !== null && (t.ndim !== 1 || t.shape[0] !== channels)) {
    throw new RangeError(
      `batchNorm: ${name} has shape ${formatShape(t.shape)} but the input ${formatShape(x.shape)} has ${channels} channels (expected [${channels}])`,
    );
  }
}

/**
 * The one eps rule of F.batchNorm and nn.BatchNorm1d/2d/3d: finite and ≥ 0. PyTorch accepts 0 too
 * (and, with NaN outputs, negative values, which we refuse).
 */
export function checkEps(eps: number, where: string): number {
  return checkNonNegative(where, 'eps', eps);
}

/**
 * The one momentum rule of F.batchNorm and the layers: a running average's weight, in [0, 1], or
 * null for the cumulative average. PyTorch takes any number; above 1 the running stats extrapolate.
 */
export function checkMomentum(momentum: number | null, where: string): number | null {
  if (momentum !== null && !(typeof momentum === 'number' && momentum >= 0 && momentum <= 1))
    throw new RangeError(`${where}: momentum must be in [0, 1] or null, got ${formatValue(momentum)}`);
  return momentum;
}

function checkBuffer(t: Tensor | null, name: string): void {
  if (t?.requiresGrad) {
    throw new Error(`batchNorm: ${name} is a buffer updated in place and must not require grad`);
  }
}

/** Per-channel values as float64 (the tensor may be a view or float32); `fill` when absent. */
function perChannel(t: Tensor | null, channels: number, fill: number): Float64Array {
  return t === null ? new Float64Array(channels).fill(fill) : Float64Array.from(t.values());
}

function updateRunningStats(
  runningMean: Tensor,
  runningVar: Tensor,
  numBatchesTracked: Tensor | null,
  momentum: number | null,
  batch: { mean: Float64Array; variance: Float64Array; count: number },
): void {
  // Without a count (allowed only with a numeric momentum) there is nothing to increment.
  const batchesSeen = numBatchesTracked === null ? 0 : numBatchesTracked.item() + 1;
  if (numBatchesTracked !== null) numBatchesTracked.nd.data[numBatchesTracked.nd.offset] = batchesSeen;
  const factor = momentum ?? 1 / batchesSeen;
  const unbiasing = batch.count / (batch.count - 1);
  for (let c = 0; c < batch.mean.length; c++) {
    runningMean.nd.set(c, (1 - factor) * runningMean.nd.get(c) + factor * batch.mean[c]);
    runningVar.nd.set(c, (1 - factor) * runningVar.nd.get(c) + factor * batch.variance[c] * unbiasing);
  }
  // In-place updates, as PyTorch's: a graph that saved these buffers (an eval-mode forward) must see it.
  for (const buffer of [runningMean, runningVar, numBatchesTracked]) if (buffer) markWritten(buffer);
}

/**
 * batchNorm(x, runningMean, runningVar, weight?, bias?, training = false, momentum = 0.1,
 * eps = 1e-5, numBatchesTracked?) — PyTorch's F.batch_norm, plus the count nn.BatchNorm keeps.
 *
 * - Batch statistics are used when `training` is true, or when runningMean/runningVar are null
 *   (trackRunningStats = false); otherwise the running statistics are.
 * - In training with running buffers, the buffers are updated in place (formulas above);
 *   `numBatchesTracked` (a one-element tensor, the layer's num_batches_tracked buffer) is
 *   incremented when given, and is required when `momentum` is null.
 * - `weight`/`bias` null means γ = 1, β = 0 (affine = false).
 * - `eps` (finite, ≥ 0) is added to the variance before the square root, so σ is never 0 unless
 *   eps = 0 (see the file comment for that case).
 */
export const batchNorm = defineOp({
  name: 'batchNorm',
  forward: (
    x: Tensor,
    runningMean: Tensor | null,
    runningVar: Tensor | null,
    weight: Tensor | null = null,
    bias: Tensor | null = null,
    training: boolean = false,
    momentum: number | null = 0.1,
    eps: number = 1e-5,
    numBatchesTracked: Tensor | null = null,
  ) => {
    // Validate everything before any buffer is touched: a failed call leaves the state as it was.
    const layout = channelLayout(x);
    const { channels } = layout;
    checkPerChannel(weight, 'weight', x, channels);
    checkPerChannel(bias, 'bias', x, channels);
    checkPerChannel(runningMean, 'runningMean', x, channels);
    checkPerChannel(runningVar, 'runningVar', x, channels);
    if ((runningMean === null) !== (runningVar === null)) {
      throw new TypeError('batchNorm: runningMean and runningVar must both be given or both be null');
    }
    checkBuffer(runningMean, 'runningMean');
    checkBuffer(runningVar, 'runningVar');
    checkBuffer(numBatchesTracked, 'numBatchesTracked');
    if (numBatchesTracked !== null && numBatchesTracked.numel !== 1) {
      throw new RangeError(`batchNorm: numBatchesTracked must hold one count, got shape ${formatShape(numBatchesTracked.shape)}`);
    }
    checkMomentum(momentum, 'batchNorm');
    checkEps(eps, 'batchNorm');
    const useBatchStats = training || runningMean === null;
    const count = valuesPerChannel(layout);
    if (useBatchStats && count <= 1) {
      throw new RangeError(`batchNorm: Expected more than 1 value per channel when training, got input shape ${formatShape(x.shape)}`);
    }
    const updatesRunningStats = training && runningMean !== null && runningVar !== null;
    if (updatesRunningStats && momentum === null && numBatchesTracked === null) {
      throw new TypeError('batchNorm: momentum null (cumulative moving average) needs numBatchesTracked to weight each batch by 1/count');
    }

    const kernels = batchNormKernels();
    const data = x.values();
    const y = allocateUnfilled(x.dtype, data.length);
    const gamma = perChannel(weight, channels, 1);
    const beta = perChannel(bias, channels, 0);
    let statistics: { mean: Float64Array; variance: Float64Array; invStd: Float64Array };
    if (useBatchStats) {
      statistics = { mean: new Float64Array(channels), variance: new Float64Array(channels), invStd: new Float64Array(channels) };
      kernels.trainingForward(data, layout, eps, gamma, beta, statistics, y);
    } else {
      const variance = perChannel(runningVar, channels, 1);
      statistics = { mean: perChannel(runningMean, channels, 0), variance, invStd: variance.map((v) => 1 / Math.sqrt(v + eps)) };
      kernels.normalize(data, layout, statistics.mean, channelGain(gamma, statistics.invStd), beta, y);
    }
    const { mean, variance, invStd } = statistics;
    if (updatesRunningStats) updateRunningStats(runningMean, runningVar, numBatchesTracked, momentum, { mean, variance, count });

    const saved: BatchNormSaved = {
      input: x,
      weight,
      eps,
      x: data,
      shape: x.shape,
      dtype: x.dtype,
      layout,
      usedBatchStats: useBatchStats,
      mean,
      invStd,
      gamma,
      weightDType: weight?.dtype ?? x.dtype,
      biasDType: bias?.dtype ?? x.dtype,
    };
    return { output: Tensor.fromData(y, x.shape), saved };
  },
  backward: (saved, gradOutput, needsGrad) => {
    const [needsX, , , needsWeight, needsBias] = needsGrad;
    if (isGradEnabled()) {
      const [dx, dweight, dbias] = batchNormGradientsInOps(saved, gradOutput, { x: needsX, weight: needsWeight, bias: needsBias });
      return [dx, null, null, dweight, dbias];
    }
    const { layout, mean, invStd, gamma, usedBatchStats } = saved;
    const kernels = batchNormKernels();
    const dy = gradOutput.values();
    const channels = layout.channels;
    const sumDy = new Float64Array(channels);
    const sumDyCentered = new Float64Array(channels);
    let dx: Tensor | null = null;
    if (usedBatchStats && needsX) {
      const values = allocateUnfilled(saved.dtype, saved.x.length);
      kernels.trainingBackward(dy, saved.x, layout, { mean, invStd }, gamma, { sumDy, sumDyCentered }, values);
      dx = Tensor.fromData(values, saved.shape);
    } else {
      // Both passes read dy and x, unchanged in between: the wasm kernels copy them in once.
      reusingOperands(() => {
        // Only dx through running statistics (eval) can do without the per-channel sums.
        if (needsWeight || needsBias || usedBatchStats) kernels.gradientSums(dy, saved.x, layout, mean, sumDy, sumDyCentered);
        if (!needsX) return;
        // With running statistics μ and σ are constants: dx = γσ⁻¹ · dy, nothing removed.
        const none = new Float64Array(channels);
        const values = allocateUnfilled(saved.dtype, saved.x.length);
        kernels.inputGradient(dy, saved.x, layout, { mean, gain: channelGain(gamma, invStd), offset: none, slope: none }, values);
        dx = Tensor.fromData(values, saved.shape);
      });
    }
    const perChannelGradient = (values: Float64Array, dtype: DType): Tensor => {
      const out = allocate(dtype, channels);
      out.set(values);
      return Tensor.fromData(out, [channels]);
    };
    return [
      dx,
      null,
      null,
      needsWeight
        ? perChannelGradient(
            sumDyCentered.map((s, c) => s * invStd[c]),
            saved.weightDType,
          )
        : null,
      needsBias ? perChannelGradient(sumDy, saved.biasDType) : null,
    ];
  },
});
