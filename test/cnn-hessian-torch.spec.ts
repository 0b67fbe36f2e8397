/**
 * A small CNN's (conv2d → batch norm in training mode → ReLU → max pool → linear → cross entropy)
 * loss, parameter gradient, Hessian-vector product and gradient-penalty gradients against PyTorch's,
 * within 1e-9 in float64 on the reference kernels, and the Hessian-vector product against central
 * differences of the gradient. The numbers are test/fixtures/cnn-hessian.json, made by
 * scripts/fixtures/cnn-hessian.py (see it for g, hv, penaltyInput and penaltyParams, and for why
 * finite differences are valid at this input).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { F, type NestedArray, type Tensor, add, grad, mul, nn, sub, sum, tensor, withBackend } from '../index';
import { expectAllClose, expectTensorClose } from './helpers/close';

interface Fixture {
  torch: string;
  /** PyTorch's state dict, before the forward; num_batches_tracked is a 0-d tensor there. */
  state: Record<string, NestedArray>;
  x: NestedArray;
  target: number[];
  /** One direction per parameter tensor, by state-dict key, as g, hv and penaltyParams. */
  v: Record<string, NestedArray>;
  loss: number;
  runningAfter: Record<'running_mean' | 'running_var', number[]>;
  g: Record<string, NestedArray>;
  hv: Record<string, NestedArray>;
  penalty: number;
  penaltyInput: NestedArray;
  penaltyParams: Record<string, NestedArray>;
}

const fixture: Fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'cnn-hessian.json'), 'utf8'));
const target = tensor(fixture.target);

/** The script's nn.Sequential, layer for layer (so the state-dict keys are the same), holding `state`. */
function cnn(state: nn.StateDict): nn.Sequential {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 2, 3, { padding: 1 }),
    new nn.BatchNorm2d(2),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(18, 3),
  );
  model.loadStateDict(state);
  return model;
}

/** PyTorch's state dict as dropgrad tensors (num_batches_tracked is 0-d in both). */
const torchState: nn.StateDict = Object.fromEntries(Object.entries(fixture.state).map(([key, value]) => [key, tensor(value)]));

/** The state dict with every parameter moved by scale·v. */
function shifted(scale: number): nn.StateDict {
  const state = { ...torchState };
  for (const [key, v] of Object.entries(fixture.v)) state[key] = add(torchState[key], mul(tensor(v), scale));
  return state;
}

const lossOf = (model: nn.Module, x: Tensor): Tensor => F.crossEntropy(model.forward(x), target);

/** Σ over parameter tensors of ⟨a_i, b_i⟩. */
const dot = (a: readonly Tensor[], b: readonly Tensor[]): Tensor => a.map((t, i) => sum(mul(t, b[i]))).reduce((s, t) => add(s, t));

/** The model's parameters (state-dict order) and the fixture's v for each, by name. */
function parametersAndV(model: nn.Module): { names: string[]; params: Tensor[]; v: Tensor[] } {
  const named = model.namedParameters();
  return { names: named.map(([name]) => name), params: named.map(([, p]) => p), v: named.map(([name]) => tensor(fixture.v[name])) };
}

/** Each of `actual` (in state-dict order) against the fixture's record of the same key. */
function expectPerParameter(
  names: readonly string[],
  actual: ReadonlyArray<Tensor | null>,
  expected: Record<string, NestedArray>,
  atol: number,
): void {
  expect(names).to.deep.equal(Object.keys(expected));
  names.forEach((name, i) => {
    expect(actual[i], name).to.not.equal(null);
    expectTensorClose(actual[i]!, expected[name], atol);
  });
}

describe(`a small CNN's Hessian-vector product matches PyTorch ${fixture.torch} (test/fixtures/cnn-hessian.json)`, () => {
  const onReference = (fn: () => void) => () => withBackend('reference', fn);

  it(
    'loss, and the running statistics after one training-mode forward',
    onReference(() => {
      const model = cnn(torchState);
      const loss = lossOf(model, tensor(fixture.x));
      expect(loss.item()).to.be.closeTo(fixture.loss, 1e-9);
      const bn = model.at(1) as nn.BatchNorm2d;
      expectTensorClose(bn.runningMean!, fixture.runningAfter.running_mean, 1e-9);
      expectTensorClose(bn.runningVar!, fixture.runningAfter.running_var, 1e-9);
    }),
  );

  it(
    'gradient ∇θ L and Hessian-vector product ∇θ ⟨∇θ L, v⟩, through grad and through backward({ createGraph })',
    onReference(() => {
      const model = cnn(torchState);
      const { names, params, v } = parametersAndV(model);
      const g = grad(lossOf(model, tensor(fixture.x)), params, undefined, { createGraph: true });
      expectPerParameter(names, g, fixture.g, 1e-9);
      expectPerParameter(names, grad(dot(g as Tensor[], v), params), fixture.hv, 1e-9);

      lossOf(model, tensor(fixture.x)).backward(undefined, { createGraph: true });
      const accumulated = params.map((p) => p.grad!);
      expectPerParameter(names, accumulated, fixture.g, 1e-9);
      expectPerParameter(names, grad(dot(accumulated, v), params), fixture.hv, 1e-9);
    }),
  );

  it(
    'gradient penalty ‖∇x L‖²: its gradient w.r.t. the input and w.r.t. the parameters',
    onReference(() => {
      const model = cnn(torchState);
      const { names, params } = parametersAndV(model);
      const x = tensor(fixture.x, { requiresGrad: true });
      const [gx] = grad(lossOf(model, x), [x], undefined, { createGraph: true });
      const penalty = sum(mul(gx!, gx!));
      // The penalty and its gradients are of order 1e-3 to 1e-2 here, so 1e-12 is 1e-9 relative.
      expect(penalty.item()).to.be.closeTo(fixture.penalty, 1e-12);
      const [dx, ...dParams] = grad(penalty, [x, ...params]);
      expectTensorClose(dx!, fixture.penaltyInput, 1e-12);
      expectPerParameter(names, dParams, fixture.penaltyParams, 1e-12);
    }),
  );

  it(
    'the Hessian-vector product equals (∇θL(θ+εv) − ∇θL(θ−εv)) / 2ε, ε = 1e-6',
    onReference(() => {
      const eps = 1e-6;
      const gradientAt = (state: nn.StateDict): Tensor[] => {
        const model = cnn(state);
        return grad(lossOf(model, tensor(fixture.x)), model.parameters()) as Tensor[];
      };
      const model = cnn(torchState);
      const { names, params, v } = parametersAndV(model);
      const g = grad(lossOf(model, tensor(fixture.x)), params, undefined, { createGraph: true }) as Tensor[];
      const hv = grad(dot(g, v), params);
      const plus = gradientAt(shifted(eps));
      const minus = gradientAt(shifted(-eps));
      names.forEach((name, i) => {
        const differences = mul(sub(plus[i], minus[i]), 1 / (2 * eps));
        // Central differences are O(ε²) from H v, plus rounding of about 1e-16 / ε; PyTorch's differ by 3.4e-10.
        expectAllClose(differences.contiguousData(), hv[i]!.contiguousData(), { rtol: 0, atol: 1e-7 }, name);
      });
    }),
  );
});
