/**
 * Second derivatives of every op whose backward is written in differentiable ops (or is an op of
 * its own), checked by gradgradcheck in float64 with PyTorch's tolerances; the drop techniques
 * with their masks replayed (seed), as their first-order gradchecks do. conv2d, convTranspose2d,
 * the pooling ops and batch norm are checked here once and over their options in conv-, pool- and
 * batchnorm-double-backward.spec.ts.
 * Every check notes the ops in its graph, and the last spec asks that every op of the root and of
 * F was among them (or refuses), so a new op cannot be left out.
 */
import { expect } from 'chai';
import {
  F,
  type Tensor,
  abs,
  add,
  clamp,
  concat,
  contiguous,
  div,
  exp,
  expand,
  gather,
  indexSelect,
  log,
  manualSeed,
  matmul,
  max,
  mean,
  min,
  mul,
  neg,
  nn,
  permute,
  pow,
  rand,
  randn,
  reshape,
  select,
  slice,
  sqrt,
  stack,
  sub,
  sum,
  tensor,
  variance,
  where,
  gradgradcheck,
  type GradgradcheckOptions,
} from '../index';
import * as root from '../index';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The names of the ops in the graphs the checks below differentiated twice. */
const checkedOps = new Set<string>();

function noteOps(outputs: Tensor | readonly Tensor[]): void {
  const stack = [outputs].flat();
  const visited = new Set<Tensor>();
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (visited.has(t) || !t.gradFn) continue;
    visited.add(t);
    checkedOps.add(t.gradFn.name);
    for (const input of t.gradFn.inputs) if (input) stack.push(input);
  }
}

/** gradgradcheck must pass for fn; the ops of fn's graph count as checked. */
function check(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradgradcheckOptions = {}): void {
  const noting = (...args: Tensor[]): Tensor => {
    const output = fn(...args);
    noteOps(output);
    return output;
  };
  const report = gradgradcheck(noting, inputs, { ...options, raiseException: false });
  expect(report.passed, report.message).to.equal(true);
}

/** Exports that are compositions of another op, which their graphs show instead of their own name. */
const COMPOSED_OPS: Record<string, string> = {
  flatten: 'reshape',
  squeeze: 'reshape',
  unsqueeze: 'reshape',
  transpose: 'permute',
  stack: 'concat',
  narrow: 'slice',
  select: 'slice',
};

const leaf = (shape: number[]) => randn(shape, { requiresGrad: true });
/** Values in [0.5, 1.5): away from log's and sqrt's singularity and from relu's and abs's kink. */
const positive = (shape: number[]) => add(rand(shape), 0.5).detach().requiresGrad_();

describe('gradgradcheck of the ops (createGraph through every backward)', () => {
  beforeEach(() => manualSeed(21));

  it('arithmetic, with broadcasting and number operands', () => {
    check((a: Tensor, b: Tensor) => add(mul(a, b), sub(a, b)), [leaf([2, 3]), leaf([3])]);
    check((a: Tensor, b: Tensor) => div(a, b), [leaf([2, 3]), positive([2, 1])]);
    check((a: Tensor) => neg(mul(a, 3)), [leaf([4])]);
    check((a: Tensor, b: Tensor) => pow(a, b), [positive([3]), leaf([3])]);
    check((a: Tensor) => pow(a, 3), [leaf([2, 2])]);
  });

  it('unary functions', () => {
    check((x: Tensor) => exp(x), [leaf([3])]);
    check((x: Tensor) => log(x), [positive([3])]);
    check((x: Tensor) => sqrt(x), [positive([3])]);
    check((x: Tensor) => mul(abs(x), x), [positive([3])]);
    check((x: Tensor) => mul(clamp(x, { min: 0.8, max: 1.2 }), x), [positive([6])]);
  });

  it('activations', () => {
    const x = positive([6]).detach();
    const signed = sub(x, mul(tensor([1, 0, 1, 0, 1, 0]), 2))
      .detach()
      .requiresGrad_(); // half negative, none near 0
    check((t: Tensor) => mul(F.relu(t), t), [signed]);
    check((t: Tensor) => mul(F.leakyRelu(t, 0.2), t), [signed]);
    check((t: Tensor) => F.sigmoid(t), [leaf([5])]);
    check((t: Tensor) => F.tanh(t), [leaf([5])]);
  });

  it('reductions', () => {
    check((x: Tensor) => mul(sum(x, 1, true), x), [leaf([2, 3])]);
    check((x: Tensor) => mul(mean(x), x), [leaf([2, 3])]);
    check((x: Tensor) => mul(max(x, 1), min(x, 1)), [leaf([2, 4])]);
    check((x: Tensor) => variance(x, 1), [leaf([2, 4])]);
    check((x: Tensor) => variance(x, undefined, { correction: 0 }), [leaf([5])]);
  });

  it('views, indexing and joins', () => {
    check((x: Tensor) => mul(reshape(permute(x, [1, 0]), [6]), contiguous(reshape(x, [6]))), [leaf([2, 3])]);
    check((x: Tensor) => mul(expand(x, [2, 3]), expand(x, [2, 3])), [leaf([1, 3])]);
    check((x: Tensor) => mul(slice(x, 1, 0, 3, 2), slice(select(x, 0, 1).reshape([1, 4]).expand([3, 4]), 1, 0, 2)), [leaf([3, 4])]);
    check(
      (x: Tensor) =>
        mul(
          indexSelect(x, 0, [2, 0, 2]),
          gather(
            x,
            0,
            tensor([[1, 0, 2, 2]])
              .expand([3, 4])
              .contiguous(),
          ),
        ),
      [leaf([3, 4])],
    );
    check((a: Tensor, b: Tensor) => mul(concat([a, b], 1), stack([b, a], 1).reshape([2, 6])), [leaf([2, 3]), leaf([2, 3])]);
  });

  it('pad in every mode, and where', () => {
    for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
      check((x: Tensor) => mul(F.pad(x, [1, 2], { mode, value: 0.5 }), F.pad(x, [2, 1], { mode })), [leaf([2, 3])]);
    }
    const condition = tensor([1, 0, 0, 1]);
    check((a: Tensor, b: Tensor) => mul(where(condition, a, b), where(condition, b, 2)), [leaf([4]), leaf([1])]);
  });

  it('softmax and logSoftmax along any dim', () => {
    check((x: Tensor) => F.softmax(x, 1), [leaf([2, 4])]);
    check((x: Tensor) => F.softmax(x, 0), [leaf([3, 2])]);
    check((x: Tensor) => F.logSoftmax(x, -1), [leaf([2, 3])]);
  });

  it('losses: cross entropy (index and probability targets, weights, smoothing, ignoreIndex, reductions) and MSE', () => {
    const logits = leaf([3, 4]);
    const targets = tensor([1, 3, 0]);
    check((x: Tensor) => F.crossEntropy(x, targets), [logits]);
    const weight = tensor([0.5, 1, 2, 1.5]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      check((x: Tensor) => F.crossEntropy(x, tensor([1, -100, 2]), { weight, labelSmoothing: 0.1, reduction }), [logits]);
    }
    const soft = F.softmax(randn([3, 4]), 1)
      .detach()
      .requiresGrad_();
    check((x: Tensor, t: Tensor) => F.crossEntropy(x, t, { labelSmoothing: 0.2, weight }), [logits, soft]);
    check(
      (x: Tensor) =>
        F.crossEntropy(
          x,
          tensor([
            [1, 0],
            [2, 2],
          ]),
        ),
      [leaf([2, 3, 2])],
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      check((x: Tensor, t: Tensor) => F.mseLoss(x, t, { reduction }), [leaf([2, 3]), leaf([2, 3])]);
    }
  });

  it('matmul (1-D, 2-D, batched with broadcasting) and linear', () => {
    check((a: Tensor, b: Tensor) => matmul(a, b), [leaf([3]), leaf([3])]);
    check((a: Tensor, b: Tensor) => matmul(a, b), [leaf([2, 3]), leaf([3])]);
    check((a: Tensor, b: Tensor) => matmul(a, b), [leaf([2, 2, 3]), leaf([3, 2])]);
    check((x: Tensor, w: Tensor, b: Tensor) => F.linear(x, w, b), [leaf([2, 2, 3]), leaf([4, 3]), leaf([4])]);
    check((x: Tensor, w: Tensor) => F.tanh(F.linear(F.tanh(F.linear(x, w)), w.transpose(0, 1))), [leaf([2, 3]), leaf([3, 3])]);
  });

  it('the drop techniques, with their masks replayed', () => {
    const x = () => leaf([2, 3, 4, 4]);
    const seed = { seed: 4 };
    const twice = (f: (t: Tensor) => Tensor) => (t: Tensor) => mul(f(t), t); // a nonzero second derivative
    check(
      twice((t) => F.dropout(t, 0.4)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.dropout2d(t, 0.4)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.gaussianDropout(t, 0.3)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.uout(t, 0.2)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.alphaDropout(t, 0.3)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.dropBlock2d(t, 0.3, { blockSize: 2 })),
      [x()],
      seed,
    );
    check(
      twice((t) => F.dropPath(t, 0.5)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.cutout(t, 2)),
      [x()],
      seed,
    );
    check(
      twice((t) => F.randomErasing(t, 1, { value: 0.5 })),
      [x()],
      seed,
    );
    const layer = new nn.DropConnectLinear(3, 2, 0.4);
    check((t: Tensor) => F.tanh(layer.forward(t)), [leaf([2, 3]), layer.weight, layer.bias!], seed);
  });

  it('conv2d and convTranspose2d (their backward is conv2dWeightGrad and each other)', () => {
    check(
      (x: Tensor, w: Tensor, b: Tensor) => F.tanh(F.conv2d(x, w, b, { stride: 2, padding: 1 })),
      [leaf([1, 2, 5, 5]), leaf([3, 2, 3, 3]), leaf([3])],
    );
    check(
      (x: Tensor, w: Tensor, b: Tensor) => F.tanh(F.convTranspose2d(x, w, b, { stride: 2, outputPadding: 1 })),
      [leaf([1, 2, 3, 3]), leaf([2, 3, 2, 2]), leaf([3])],
    );
  });

  it('maxPool2d, avgPool2d, adaptiveAvgPool2d (their backward is maxPool2dBackward and avgPool2dBackward)', () => {
    check((x: Tensor) => F.tanh(F.maxPool2d(x, 3, { stride: 2, padding: 1 })), [leaf([1, 2, 5, 5])]);
    check((x: Tensor) => F.tanh(F.avgPool2d(x, 3, { stride: 2, padding: 1 })), [leaf([1, 2, 5, 5])]);
    check((x: Tensor) => F.tanh(F.adaptiveAvgPool2d(x, [2, 3])), [leaf([1, 2, 5, 5])]);
  });

  it('batchNorm in eval and training mode (its backward in ops under createGraph)', () => {
    const running = [randn([2]), add(rand([2]), 0.5)];
    for (const [mean, variance, training] of [
      [running[0], running[1], false],
      [null, null, true],
    ] as const) {
      check(
        (x: Tensor, w: Tensor, b: Tensor) => F.tanh(F.batchNorm(x, mean, variance, w, b, training)),
        [leaf([2, 2, 3, 3]), leaf([2]), leaf([2])],
      );
    }
  });

  it('checked every op the root and F export', function () {
    if (checkedOps.size === 0) this.skip(); // run alone (--grep): nothing was checked to compare with
    const opsDir = join(__dirname, '..', 'lib', 'ops');
    const rootOps = readdirSync(opsDir).flatMap((file) =>
      Object.values(require(join(opsDir, file)) as Record<string, unknown>).filter(
        (value) => typeof value === 'function' && (Object.values(root) as unknown[]).includes(value),
      ),
    );
    const exported = [...rootOps, ...Object.values(F).filter((value) => typeof value === 'function')] as Array<{ name: string }>;
    const names = [...new Set(exported.map((op) => COMPOSED_OPS[op.name] ?? op.name))];
    expect(names).to.include.members(['add', 'var', 'dropout', 'crossEntropy', 'conv2d']);
    expect(names.filter((name) => !checkedOps.has(name))).to.deep.equal([]);
    expect(checkedOps, 'DropConnect').to.include('dropConnect');
  });
});
