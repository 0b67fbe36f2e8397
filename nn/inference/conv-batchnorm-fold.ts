/**
 * A Conv2d followed by an eval-mode BatchNorm2d is one convolution: with the running statistics
 * fixed, batch norm is an affine map per channel, so it folds into the conv's weights and bias
 * (the inference path of nn/inference runs that one conv instead of two passes):
 *
 *   bn(conv(x))[o] = γ[o]·(conv(x)[o] − μ[o]) / √(var[o] + eps) + β[o]
 *                  = Σ (w[o]·s[o]) ⋆ x + (b[o] − μ[o])·s[o] + β[o],       s[o] = γ[o] / √(var[o] + eps)
 *   w'[o,c,p,q] = w[o,c,p,q]·s[o],   b'[o] = (b[o] − μ[o])·s[o] + β[o]     (b = 0 without a conv bias, γ = 1 and β = 0 without affine)
 *
 * computed in float64 and stored in the input's dtype, so the result equals the two-pass one to
 * that dtype's rounding. The folded tensors are cached, and computed again only when one of the six
 * tensors they come from is replaced or written in place (its version counter, Tensor._version:
 * an optimizer step, loadStateDict, a training-mode forward updating the running statistics,
 * `storage` writes — not writes through `.data`, which no counter sees).
 */
import { type DType, allocateForKernels } from '../../base/dtype';
import { sizeOf } from '../../base/shape';
import { Tensor } from '../../lib/tensor';
import type { Conv2d } from '../conv2d';
import type { BatchNorm2d } from '../batchnorm';

/** A tensor the fold was computed from, and its version then. */
interface Source {
  tensor: Tensor | null;
  version: number;
}

export interface FoldedConv {
  weight: Tensor;
  bias: Tensor;
}

export class ConvBatchNormFold {
  /** The last fold: for which dtype and source versions, and its tensors (null: the pair did not fold). */
  private last: { dtype: DType; sources: Source[]; folded: FoldedConv | null } | null = null;
  /** The folded tensors, kept across refolds of the same dtype and size so a refold allocates nothing. */
  private buffers: FoldedConv | null = null;

  constructor(
    readonly conv: Conv2d,
    readonly bn: BatchNorm2d,
  ) {}

  /**
   * The folded weight and bias in `dtype`, or null when the pair does not fold: a channel whose
   * scale is not finite (var + eps = 0 with eps 0, a NaN statistic) is left to the two-pass path.
   */
  weightsIn(dtype: DType): FoldedConv | null {
    if (!this.upToDate(dtype)) this.last = { dtype, sources: this.sources(), folded: this.fold(dtype) };
    return this.last?.folded ?? null;
  }

  private sources(): Source[] {
    const { conv, bn } = this;
    return [conv.weight, conv.bias, bn.weight, bn.bias, bn.runningMean, bn.runningVar].map((tensor) => ({
      tensor,
      version: tensor?._version ?? 0,
    }));
  }

  private upToDate(dtype: DType): boolean {
    if (this.last?.dtype !== dtype) return false;
    const now = this.sources();
    return this.last.sources.every(({ tensor, version }, i) => tensor === now[i].tensor && version === now[i].version);
  }

  private fold(dtype: DType): FoldedConv | null {
    const { conv, bn } = this;
    const outC = conv.outChannels;
    const values = (t: Tensor | null, fill: number): ArrayLike<number> => (t ? t.values() : new Float64Array(outC).fill(fill));
    const [mean, variance] = [values(bn.runningMean, 0), values(bn.runningVar, 1)];
    const [gamma, beta, convBias] = [values(bn.weight, 1), values(bn.bias, 0), values(conv.bias, 0)];
    // The scale as batchNorm's eval pass computes it (γ · 1/√(var + eps)), so the two agree to rounding.
    const scale = Float64Array.from(gamma, (g, o) => g * (1 / Math.sqrt(variance[o] + bn.eps)));
    if (!scale.every(Number.isFinite)) return null;
    const w = conv.weight.values();
    const perChannel = w.length / outC;
    const folded = this.target(dtype, w.length, outC);
    // `storage` marks the write, so anything keyed by these arrays' versions sees the new values.
    const weight = folded.weight.writableStorage();
    const bias = folded.bias.writableStorage();
    for (let o = 0; o < outC; o++) {
      for (let at = o * perChannel; at < (o + 1) * perChannel; at++) weight[at] = w[at] * scale[o];
      bias[o] = (convBias[o] - mean[o]) * scale[o] + beta[o];
    }
    return folded;
  }

  private target(dtype: DType, weightSize: number, outC: number): FoldedConv {
    const kept = this.buffers;
    if (kept?.weight.dtype === dtype && kept.weight.numel === weightSize) return kept;
    // Where the kernels read them (the wasm memory on that backend): not copied in per call.
    const tensorOf = (shape: number[]): Tensor => Tensor.fromData(allocateForKernels(dtype, sizeOf(shape)), shape);
    this.buffers = { weight: tensorOf(this.conv.weight.shape), bias: tensorOf([outC]) };
    return this.buffers;
  }
}
