/**
 * gradcheck: compares the analytical Jacobian (from backward passes) with central finite
 * differences, (f(x + eps) − f(x − eps)) / 2eps, for every input that requires grad and every
 * output, in float64. An entry passes when |analytical − numerical| ≤ atol + rtol·|numerical|.
 *
 * Stochastic functions must draw the same mask on every evaluation: pass `seed`. The default
 * generator is seeded with it, every generator fn draws from during the first evaluation (the
 * default one, a layer's own `new Generator(s)`, …) has its state noted, and all of them are put
 * back before each later evaluation; afterwards they are left where the first evaluation left them.
 */
import { Tensor } from './tensor';
import { grad } from './autograd';
import { noGrad } from './grad-mode';
import { formatShape, formatValue, unravelIndex } from '../base/shape';
import { checkInteger, checkNonNegative, checkOptions, optionKeys } from './validate';
import { type DrawStates, Generator, manualSeed, recordDraws, replayDraws } from './random/generator';
import { allocate } from '../base/dtype';
import { type GradcheckReport, GradcheckError, InputTally, describeInputFailure } from './gradcheck-report';

/** The keys of GradcheckOptions (gradgradcheck's add gradOutputs), for the unknown-key check. */
export const gradcheckOptionNames = {
  eps: true,
  atol: true,
  rtol: true,
  raiseException: true,
  fastMode: true,
  seed: true,
} as const satisfies Record<keyof GradcheckOptions, true>;
const gradcheckOptionKeys = optionKeys<GradcheckOptions>(gradcheckOptionNames);

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a GradcheckError on failure (default true); else return the report. */
  raiseException?: boolean;
  /** Compare random projections v·J·u instead of whole Jacobians (default false): for large inputs. */
  fastMode?: boolean;
  /** Seed the default generator with this and replay every generator fn draws from, so masks repeat. */
  seed?: number;
}

export type GradcheckFn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/** fn's result as a list of output tensors, or a TypeError saying what fn returned instead. */
export function outputsOf(out: unknown): readonly Tensor[] {
  if (out instanceof Tensor) return [out];
  const expected = 'gradcheck: fn must return a Tensor or an array of Tensors, got';
  if (!Array.isArray(out)) throw new TypeError(`${expected} ${formatValue(out)}`);
  // PyTorch's words: with nothing to compare, a check would pass without checking anything.
  if (out.length === 0) throw new RangeError('gradcheck: fn returned no outputs; gradcheck expects at least one output');
  const bad = out.findIndex((o) => !(o instanceof Tensor));
  if (bad >= 0) throw new TypeError(`${expected} an array whose item ${bad} is ${formatValue(out[bad])}`);
  return out as Tensor[];
}

/**
 * Refuses an input two of whose elements are one number in memory (a stride-0 dimension, as
 * expand() makes, or an overlapping view), as PyTorch's gradcheck does: nudging one nudges the
 * others, so the finite difference is not the partial derivative the analytical side computes.
 */
function checkNonOverlapping(t: Tensor, index: number, offsets: Int32Array): void {
  const zeroStride = t.nd.shape.some((size, d) => size > 1 && t.nd.stride[d] === 0);
  const shared = zeroStride || new Set(offsets).size !== offsets.length;
  if (!shared) return;
  const input = `gradcheck: input ${index} (shape ${formatShape(t.shape)}, strides ${formatShape(t.strides)})`;
  throw new RangeError(
    `${input} ${zeroStride ? 'has a dimension with stride 0' : 'has elements that share memory'}. gradcheck only supports inputs that are non-overlapping to be able to compute the numerical gradients correctly; call .contiguous() on the input before passing it to gradcheck`,
  );
}

/** The storage offset of each element of `t`, in row-major order (t may be a strided view). */
function storageOffsets(t: Tensor): Int32Array {
  const offsets = new Int32Array(t.numel);
  const { shape, stride, offset } = t.nd;
  for (let i = 0; i < offsets.length; i++) {
    offsets[i] = unravelIndex(i, shape).reduce((acc, idx, d) => acc + idx * stride[d], offset);
  }
  return offsets;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Checks fn's backward against finite differences for every input with requiresGrad. */
export function gradcheck(fn: GradcheckFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const {
    eps = 1e-6,
    atol = 1e-5,
    rtol = 1e-3,
    raiseException = true,
    fastMode = false,
    seed,
  } = checkOptions('gradcheck', options, gradcheckOptionKeys);
  // Checked first: eps = 0 would divide by zero and report a NaN "numerical" gradient as the op's failure.
  if (!(eps > 0 && Number.isFinite(eps))) throw new RangeError(`gradcheck: eps must be a finite number > 0, got ${formatValue(eps)}`);
  checkNonNegative('gradcheck', 'atol', atol);
  checkNonNegative('gradcheck', 'rtol', rtol);
  if (seed !== undefined) checkInteger('gradcheck', 'seed', seed);
  const notTensor = inputs.findIndex((t) => !(t instanceof Tensor));
  if (notTensor >= 0) throw new TypeError(`gradcheck: inputs must be Tensors, got ${formatValue(inputs[notTensor])} at index ${notTensor}`);
  const checked = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (checked.length === 0) throw new Error('gradcheck: no input has requiresGrad: true, so there is nothing to check');
  for (const { t, i } of checked) {
    if (t.dtype !== 'float64') {
      throw new TypeError(`gradcheck: input ${i} (shape ${formatShape(t.shape)}) is ${t.dtype}; finite differences need float64 inputs`);
    }
  }
  const offsetsOf = checked.map(({ t }) => storageOffsets(t));
  checked.forEach(({ t, i }, c) => {
    checkNonOverlapping(t, i, offsetsOf[c]);
  });
  // The first evaluation (which also builds the graph for the analytical Jacobian) notes the
  // generators it draws from; every later one starts them from the same states.
  if (seed !== undefined) manualSeed(seed);
  const nothingDrawn: DrawStates = new Map();
  const first = seed === undefined ? { result: fn(...inputs), states: nothingDrawn } : recordDraws(() => fn(...inputs));
  const outputs = outputsOf(first.result);
  const drawn = first.states;
  const afterFirst = new Map([...drawn.keys()].map((g) => [g, g.getState()]));
  /** Re-runs fn from the noted generator states, then leaves them where the first evaluation did. */
  const evaluate = (): Float64Array[] => {
    replayDraws(drawn);
    try {
      return noGrad(() => outputsOf(fn(...inputs))).map((o) => Float64Array.from(o.values()));
    } finally {
      replayDraws(afterFirst);
    }
  };

  const outputShapes = outputs.map((o) => o.shape);
  const tallies = checked.map(() => new InputTally(atol, rtol));

  /** (f(x + eps·u) − f(x − eps·u)) / 2eps for input c, where u is `direction` on the listed elements. */
  const centralDifference = (c: number, elements: ArrayLike<number>, direction: ArrayLike<number>): Float64Array[] => {
    // Written directly, not through `storage`: a nudge undone before any backward reads the input
    // is not an in-place change the version counter should report.
    const store = checked[c].t.nd.data;
    const offsets = Array.from(elements, (k) => offsetsOf[c][k]);
    const saved = offsets.map((o) => store[o]);
    const shifted = (sign: number): Float64Array[] => {
      offsets.forEach((o, m) => {
        store[o] = saved[m] + sign * eps * direction[m];
      });
      return evaluate();
    };
    try {
      const plus = shifted(1);
      const minus = shifted(-1);
      return plus.map((p, j) => p.map((v, k) => (v - minus[j][k]) / (2 * eps)));
    } finally {
      offsets.forEach((o, m) => {
        store[o] = saved[m];
      });
    }
  };

  if (fastMode) {
    const rng = new Generator(1234);
    outputs.forEach((out, j) => {
      if (!out.requiresGrad) return;
      const v = Tensor.fromData(
        Float64Array.from({ length: out.numel }, () => rng.uniform(-1, 1)),
        out.shape,
      );
      const vJ = grad(
        out,
        checked.map(({ t }) => t),
        v,
        { retainGraph: true },
      );
      checked.forEach(({ t }, c) => {
        const u = Float64Array.from({ length: t.numel }, () => rng.uniform(-1, 1));
        const analytical = vJ[c] ? dot(vJ[c]!.values(), u) : 0;
        const everyElement = Array.from({ length: t.numel }, (_, k) => k);
        const numerical = dot(centralDifference(c, everyElement, u)[j], v.values());
        tallies[c].add({ analytical, numerical, output: j, outputFlat: 0, inputFlat: 0 });
      });
    });
  } else {
    // Analytical rows: one backward pass per output element, with a one-hot gradOutput.
    const analytical = checked.map(() => outputs.map(() => [] as Float64Array[]));
    outputs.forEach((out, j) => {
      for (let r = 0; r < out.numel; r++) {
        const rows = out.requiresGrad
          ? (() => {
              const oneHot = allocate('float64', out.numel);
              oneHot[r] = 1;
              return grad(
                out,
                checked.map(({ t }) => t),
                Tensor.fromData(oneHot, out.shape),
                { retainGraph: true },
              );
            })()
          : checked.map(() => null);
        rows.forEach((g, c) => {
          analytical[c][j].push(g ? Float64Array.from(g.values()) : new Float64Array(checked[c].t.numel));
        });
      }
    });
    // Numerical columns: one pair of evaluations per input element.
    checked.forEach(({ t }, c) => {
      for (let k = 0; k < t.numel; k++) {
        const column = centralDifference(c, [k], [1]);
        column.forEach((values, j) => {
          values.forEach((numerical, r) => {
            tallies[c].add({ analytical: analytical[c][j][r][k], numerical, output: j, outputFlat: r, inputFlat: k });
          });
        });
      }
    });
  }

  const reports = tallies.map((tally, c) => tally.report(checked[c].i, checked[c].t.shape, outputShapes));
  const passed = reports.every((r) => r.passed);
  const failing = reports.filter((r) => !r.passed);
  const message = passed
    ? `gradcheck passed for ${reports.length} input(s)`
    : `gradcheck failed (eps ${eps}, atol ${atol}, rtol ${rtol}): ${failing.map((r) => describeInputFailure(r, fastMode)).join('; ')}`;
  const report = { passed, inputs: reports, message };
  if (!passed && raiseException) throw new GradcheckError(report);
  return report;
}
