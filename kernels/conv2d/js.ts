/**
 * The fast conv2d for machines without a GPU: per image and group, im2col followed by the blocked,
 * register-tiled GEMM of kernels/gemm/js.ts, in the tensor's own typed array type.
 *
 *   forward:        Y_g  = W_g · col(x_g)                    [outCg × P] = [outCg × K]·[K × P]
 *   backwardInput:  dx_g = col2im(W_gᵀ · dY_g)               [K × P]     = [K × outCg]·[outCg × P]
 *   backwardWeight: dW_g = Σ_n dY_g · col(x_g)ᵀ              [outCg × K] = [outCg × P]·[P × K]
 * with K = Cg·kH·kW taps per output pixel and P = outH·outW pixels.
 *
 * A 1×1 kernel with stride 1 and no padding needs no im2col at all: the image itself is the
 * column matrix, so the GEMM reads (and for backwardInput, writes) it in place.
 */
import type { TypedArray } from '../../base/dtype';
import { jsGemm } from '../gemm/js';
import { Scratch } from '../scratch';
import { type Conv2dGeometry, inChannelsPerGroup, outChannelsPerGroup, patchSize } from './geometry';
import { col2im, im2col } from './im2col';
import { epilogueOutputSize, maxPool2x2Into, noEpilogue } from './epilogue';
import type { Conv2dKernels } from './kernels';
import { reluInto } from '../relu/js';

/** The column-matrix buffer, reused by every call (grown to the largest K·P seen). */
const columns = new Scratch();
/** A slice's conv output before the fused max pool (kernels/conv2d/epilogue.ts) halves it. */
const unpooled = new Scratch();

function isPointwise(geo: Conv2dGeometry): boolean {
  return (
    geo.kH === 1 &&
    geo.kW === 1 &&
    geo.strideH === 1 &&
    geo.strideW === 1 &&
    geo.padTop === 0 &&
    geo.padLeft === 0 &&
    geo.padBottom === 0 &&
    geo.padRight === 0
  );
}

/** Per (image, group): where that group's channels start in x, and its output channels in y. */
interface Slice {
  xOffset: number;
  yOffset: number;
  weightOffset: number;
  firstOutChannel: number;
}

function forEachSlice(geo: Conv2dGeometry, visit: (slice: Slice) => void): void {
  const { n, inC, h, w, outC, outH, outW, groups } = geo;
  const cg = inChannelsPerGroup(geo);
  const og = outChannelsPerGroup(geo);
  for (let image = 0; image < n; image++) {
    for (let g = 0; g < groups; g++) {
      visit({
        xOffset: (image * inC + g * cg) * h * w,
        yOffset: (image * outC + g * og) * outH * outW,
        weightOffset: g * og * patchSize(geo),
        firstOutChannel: g * og,
      });
    }
  }
}

/** The K×P column matrix of one slice: x itself for pointwise convs, else im2col into scratch. */
function columnMatrix(x: TypedArray, xOffset: number, geo: Conv2dGeometry): { data: TypedArray; offset: number } {
  if (isPointwise(geo)) return { data: x, offset: xOffset };
  const col = columns.of(x, patchSize(geo) * geo.outH * geo.outW);
  im2col(x, xOffset, geo, col);
  return { data: col, offset: 0 };
}

export const jsConv2d: Conv2dKernels = {
  forward(x, weight, bias, geo, out, epilogue = noEpilogue) {
    const og = outChannelsPerGroup(geo);
    const pixels = geo.outH * geo.outW;
    const [pooledH, pooledW] = epilogueOutputSize(geo, epilogue);
    const k = patchSize(geo);
    forEachSlice(geo, ({ xOffset, yOffset, weightOffset, firstOutChannel }) => {
      // A pooled slice is computed in scratch and pooled from there while in cache.
      const y = epilogue.maxPool2x2 ? unpooled.of(out, og * pixels) : out;
      const at = epilogue.maxPool2x2 ? 0 : yOffset;
      if (bias) {
        // Start each output plane at its bias and let the GEMM accumulate onto it.
        for (let o = 0; o < og; o++) y.fill(bias[firstOutChannel + o], at + o * pixels, at + (o + 1) * pixels);
      }
      const col = columnMatrix(x, xOffset, geo);
      jsGemm({
        m: og,
        n: pixels,
        k,
        a: weight,
        aOffset: weightOffset,
        b: col.data,
        bOffset: col.offset,
        c: y,
        cOffset: at,
        accumulate: bias !== null,
      });
      if (epilogue.relu) reluInto(y, y, at, at + og * pixels);
      if (epilogue.maxPool2x2) maxPool2x2Into(y, 0, og, geo.outH, geo.outW, out, (yOffset / pixels) * pooledH * pooledW);
    });
  },

  backwardInput(gradOutput, weight, geo, gradInput) {
    const og = outChannelsPerGroup(geo);
    const pixels = geo.outH * geo.outW;
    const k = patchSize(geo);
    if (isPointwise(geo)) {
      forEachSlice(geo, ({ xOffset, yOffset, weightOffset }) => {
        jsGemm({
          m: k,
          n: pixels,
          k: og,
          a: weight,
          aOffset: weightOffset,
          transA: true,
          b: gradOutput,
          bOffset: yOffset,
          c: gradInput,
          cOffset: xOffset,
        });
      });
      return;
    }
    gradInput.fill(0);
    const col = columns.of(gradInput, k * pixels);
    forEachSlice(geo, ({ xOffset, yOffset, weightOffset }) => {
      jsGemm({ m: k, n: pixels, k: og, a: weight, aOffset: weightOffset, transA: true, b: gradOutput, bOffset: yOffset, c: col });
      col2im(col, geo, gradInput, xOffset);
    });
  },

  backwardWeight(gradOutput, x, geo, gradWeight) {
    const og = outChannelsPerGroup(geo);
    const pixels = geo.outH * geo.outW;
    const k = patchSize(geo);
    gradWeight.fill(0);
    forEachSlice(geo, ({ xOffset, yOffset, weightOffset }) => {
      const col = columnMatrix(x, xOffset, geo);
      jsGemm({
        m: og,
        n: k,
        k: pixels,
        a: gradOutput,
        aOffset: yOffset,
        b: col.data,
        bOffset: col.offset,
        transB: true,
        c: gradWeight,
        cOffset: weightOffset,
        accumulate: true,
      });
    });
  },
};
