// A custom op with a hand-written backward, checked against finite differences.
// Run: npx tsx examples/custom-op.ts
import { Tensor, defineOp, gradcheck, manualSeed, mul, randn, sigmoid } from '../index';

/** softplus(x) = log(1 + eˣ);  d/dx softplus(x) = sigmoid(x) = 1 / (1 + e⁻ˣ). */
const softplus = defineOp({
  name: 'softplus',
  forward: (x: Tensor) => {
    const out = new Float64Array(x.numel);
    const src = x.contiguousData();
    // log1p(exp(x)) overflows for large x; max(x, 0) + log1p(exp(−|x|)) is the same number, safely.
    for (let i = 0; i < out.length; i++) out[i] = Math.max(src[i], 0) + Math.log1p(Math.exp(-Math.abs(src[i])));
    return { output: Tensor.fromData(out, x.shape), saved: x };
  },
  backward: (x, gradOutput) => {
    const slope = Float64Array.from(x.contiguousData(), (v) => 1 / (1 + Math.exp(-v))); // sigmoid(x)
    return [mul(gradOutput, Tensor.fromData(slope, x.shape))];
  },
});

manualSeed(0);
const x = randn([3, 4], { requiresGrad: true });
const report = gradcheck((t) => softplus(t), [x]);
console.log(report.message, `(max abs error ${report.inputs[0].maxAbsError.toExponential(2)})`);

// d/dx Σ softplus(x) = sigmoid(x): the backward through the graph gives the library's sigmoid.
softplus(x).sum().backward();
const expected = sigmoid(x).data;
console.log(
  'x.grad = sigmoid(x):',
  x.grad!.data.every((v, i) => Math.abs(v - expected[i]) < 1e-12),
);
