/**
 * gradgradcheck: checks second derivatives, as PyTorch's torch.autograd.gradgradcheck. The
 * first-order gradient, as a function of the inputs and of the output gradients,
 *
 *   (inputs, gradOutputs) → grad(fn(inputs), inputs, gradOutputs, { createGraph: true })
 *
 * is itself checked by gradcheck: its backward (the backward of the backward) against finite
 * differences of first-order gradients. With PyTorch's defaults: when `gradOutputs` are not given
 * they are random float64 tensors requiring grad (drawn from a generator of their own, so the
 * default generator — and a stochastic fn's masks under `seed` — are left alone); eps, atol,
 * rtol, fastMode and seed mean what they mean for gradcheck.
 */
import { Tensor } from './tensor';
import { grad } from './autograd';
import { noGrad, withGradMode } from './grad-mode';
import { add, mul } from './ops/arithmetic';
import { sum } from './ops/reductions';
import { Generator } from './random/generator';
import { formatShape, formatValue, sameShape } from '../base/shape';
import { checkOptions, optionKeys } from './validate';
import { type GradcheckFn, type GradcheckOptions, gradcheck, gradcheckOptionNames, outputsOf } from './gradcheck';
import { type GradcheckReport, GradcheckError } from './gradcheck-report';

export interface GradgradcheckOptions extends GradcheckOptions {
  /** One gradient per output of fn, of its shape (default: random float64 ones requiring grad). */
  gradOutputs?: readonly Tensor[];
}
const gradgradcheckOptionKeys = optionKeys<GradgradcheckOptions>({ ...gradcheckOptionNames, gradOutputs: true });

/** The seed of the generator that draws default gradOutputs (any fixed number: the check must repeat). */
const GRAD_OUTPUTS_SEED = 21;

function checkGradOutputs(gradOutputs: readonly Tensor[], outputs: readonly Tensor[]): readonly Tensor[] {
  if (!Array.isArray(gradOutputs) || gradOutputs.length !== outputs.length) {
    throw new RangeError(
      `gradgradcheck: gradOutputs must be an array of ${outputs.length} tensor(s), one per output of fn, got ${formatValue(gradOutputs)}`,
    );
  }
  gradOutputs.forEach((g, j) => {
    if (!(g instanceof Tensor)) throw new TypeError(`gradgradcheck: gradOutputs[${j}] must be a Tensor, got ${formatValue(g)}`);
    if (!sameShape(g.shape, outputs[j].shape)) {
      throw new RangeError(
        `gradgradcheck: gradOutputs[${j}] has shape ${formatShape(g.shape)}, expected ${formatShape(outputs[j].shape)} (output ${j}'s)`,
      );
    }
  });
  return gradOutputs;
}

function randomGradOutputs(outputs: readonly Tensor[]): Tensor[] {
  const rng = new Generator(GRAD_OUTPUTS_SEED);
  return outputs.map((o) =>
    Tensor.fromData(
      Float64Array.from({ length: o.numel }, () => rng.normal()),
      o.shape,
      true,
    ),
  );
}

/** Checks fn's second derivatives (its backward's backward) against finite differences of its gradients. */
export function gradgradcheck(fn: GradcheckFn, inputs: readonly Tensor[], options: GradgradcheckOptions = {}): GradcheckReport {
  const { gradOutputs: given, raiseException = true, ...rest } = checkOptions('gradgradcheck', options, gradgradcheckOptionKeys);
  const notTensor = inputs.findIndex((t) => !(t instanceof Tensor));
  if (notTensor >= 0) {
    throw new TypeError(`gradgradcheck: inputs must be Tensors, got ${formatValue(inputs[notTensor])} at index ${notTensor}`);
  }
  const differentiable = inputs.filter((t) => t.requiresGrad);
  if (differentiable.length === 0) throw new Error('gradgradcheck: no input has requiresGrad: true, so there is nothing to check');
  const outputs = noGrad(() => outputsOf(fn(...inputs)));
  const gradOutputs = given === undefined ? randomGradOutputs(outputs) : checkGradOutputs(given, outputs);

  /** The first-order gradients w.r.t. the inputs requiring grad, recorded so they can be differentiated. */
  const firstOrder = (...args: Tensor[]): Tensor[] =>
    // gradcheck evaluates without recording; the first-order backward needs a graph to run through.
    withGradMode(true, () => {
      const results = outputsOf(fn(...args.slice(0, inputs.length)));
      const vs = args.slice(inputs.length);
      const live = results.map((o, j) => ({ o, v: vs[j] })).filter(({ o }) => o.requiresGrad);
      if (live.length === 0) return [];
      const wrt = args.slice(0, inputs.length).filter((t) => t.requiresGrad);
      // One output: its vector-Jacobian product directly; several: of Σ_j ⟨output_j, v_j⟩.
      const [root, seed] =
        live.length === 1 ? [live[0].o, live[0].v] : [live.map(({ o, v }) => sum(mul(o, v))).reduce((a, b) => add(a, b)), undefined];
      return grad(root, wrt, seed, { createGraph: true }).filter((g): g is Tensor => g !== null);
    });

  const report = gradcheck(firstOrder, [...inputs, ...gradOutputs], { ...rest, raiseException: false });
  const message = report.passed ? report.message.replace('gradcheck', 'gradgradcheck') : `gradgradcheck: ${report.message}`;
  const result = { ...report, message };
  if (!result.passed && raiseException) throw new GradcheckError(result);
  return result;
}
