import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ones, optim, tensor, type Tensor, zeros } from '../index';
import type { Optimizer } from '../nn/optim/optimizer';

interface Fixture {
  start: number[];
  grads: number[][];
  cases: Record<
    string,
    { optimizer: 'SGD' | 'Adam' | 'AdamW'; options: Record<string, number | boolean | number[]>; trajectory: number[][] }
  >;
  step_lr: number[];
  cosine_lr: number[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/optim.json'), 'utf8')) as Fixture;

function make(kind: string, params: Tensor[], o: Record<string, number | boolean | number[]>): Optimizer {
  const common = { lr: o.lr as number, weightDecay: o.weight_decay as number | undefined };
  if (kind === 'SGD') {
    return new optim.SGD(params, {
      ...common,
      momentum: o.momentum as number,
      dampening: o.dampening as number,
      nesterov: o.nesterov as boolean,
    });
  }
  const adam = { ...common, betas: o.betas as [number, number] | undefined, eps: o.eps as number | undefined };
  return kind === 'Adam' ? new optim.Adam(params, adam) : new optim.AdamW(params, adam);
}

describe('optimizers (against torch.optim trajectories)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name} follows PyTorch step for step`, () => {
      const p = tensor(fixture.start, { requiresGrad: true });
      const opt = make(c.optimizer, [p], c.options);
      fixture.grads.forEach((g, step) => {
        p.grad = tensor(g);
        opt.step();
        Array.from(p.data).forEach((v, i) => {
          expect(v, `step ${step + 1}, entry ${i}`).to.be.closeTo(c.trajectory[step][i], 1e-12);
        });
      });
    });
  }

  it('StepLR and CosineAnnealingLR match PyTorch', () => {
    const a = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const b = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const step = new optim.StepLR(a, 2, 0.5);
    const cosine = new optim.CosineAnnealingLR(b, 5, 0.1);
    for (let t = 0; t < 7; t++) {
      step.step();
      cosine.step();
      expect(a.lr).to.be.closeTo(fixture.step_lr[t], 1e-12);
      expect(b.lr).to.be.closeTo(fixture.cosine_lr[t], 1e-12);
    }
  });

  it('finds a lone non-finite value anywhere in a long gradient (each of the four running sums, and the tail)', () => {
    const length = 1003; // 250 groups of four, then three
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const at of [0, 1, 2, 3, 501, 998, 999, 1000, 1002]) {
        const p = zeros([length], { requiresGrad: true });
        const grad = new Float64Array(length).fill(-1e300); // huge but finite: v·0 is −0
        grad[at] = bad;
        p.grad = tensor(grad);
        expect(() => new optim.SGD([p], { lr: 0.1 }).step(), `${bad} at ${at}`).to.throw(`non-finite gradient (${bad} at index ${at})`);
      }
    }
    const p = zeros([length], { requiresGrad: true });
    p.grad = tensor(new Float64Array(length).fill(-Number.MAX_VALUE));
    expect(() => new optim.SGD([p], { lr: 0 }).step()).not.to.throw();
  });

  it('refuses a non-finite gradient before updating anything', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([3], { requiresGrad: true });
    const opt = new optim.SGD([p, q], { lr: 0.1 });
    p.grad = tensor([1, 1]);
    q.grad = tensor([NaN]);
    expect(() => opt.step()).to.throw('SGD.step: parameter 1 has a non-finite gradient (NaN at index 0); nothing was updated');
    expect(Array.from(p.data)).to.deep.equal([1, 2]);
    expect(opt.stepCount).to.equal(0);
    // The first bad element is named, ±Infinity as well as NaN, in float32 too.
    const r = tensor([1, 2, 3, 4, 5], { dtype: 'float32', requiresGrad: true });
    const adam = new optim.Adam([r]);
    r.grad = tensor([0, 1e30, -Infinity, NaN, Infinity], { dtype: 'float32' });
    expect(() => adam.step()).to.throw('Adam.step: parameter 0 has a non-finite gradient (-Infinity at index 2); nothing was updated');
    r.grad = tensor([0, 0, 0, 0, Infinity], { dtype: 'float32' });
    expect(() => adam.step()).to.throw('(Infinity at index 4)');
    expect(Array.from(r.data)).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it('refuses a gradient whose size or dtype differs from its parameter before updating anything', () => {
    // The .grad setter refuses these; a gradient that reached the optimizer some other way (here
    // planted past the setter) must still not be read past its end or only in part.
    for (const [bad, message] of [
      [ones([5]), 'SGD.step: parameter 1 has a gradient of shape [5] for a tensor of shape [10]; nothing was updated'],
      [ones([12]), 'SGD.step: parameter 1 has a gradient of shape [12] for a tensor of shape [10]; nothing was updated'],
      [ones([10], { dtype: 'float32' }), 'SGD.step: parameter 1 has a float32 gradient for a float64 tensor; nothing was updated'],
    ] as const) {
      const q = tensor([1], { requiresGrad: true });
      const p = zeros([10], { requiresGrad: true });
      q.grad = tensor([1]);
      Object.defineProperty(p, 'grad', { value: bad });
      const opt = new optim.SGD([q, p], { lr: 0.1 });
      expect(() => opt.step()).to.throw(message);
      expect(Array.from(q.data)).to.deep.equal([1]);
      expect(Array.from(p.data)).to.deep.equal(new Array(10).fill(0));
    }
  });

  it('validates options with the values', () => {
    const p = [tensor([1], { requiresGrad: true })];
    expect(() => new optim.SGD(p, { lr: -1 })).to.throw('SGD: lr must be a finite number ≥ 0, got -1');
    expect(() => new optim.SGD(p, { lr: 0.1, nesterov: true })).to.throw(
      'SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0, dampening 0',
    );
    expect(() => new optim.Adam(p, { betas: [0.9, 1] })).to.throw('Adam: betas[1] must be a probability in [0, 1), got 1');
    expect(() => new optim.Adam([])).to.throw('Adam: got an empty parameter list');
  });

  it('refuses malformed betas, non-boolean nesterov and string numbers, showing a string as a string', () => {
    const p = [tensor([1], { requiresGrad: true })];
    expect(() => new optim.Adam(p, { betas: [0.9] as never })).to.throw('Adam: betas must be a pair [β₁, β₂], got [0.9]');
    expect(() => new optim.AdamW(p, { betas: [0.9, 0.99, 0.5] as never })).to.throw(
      'AdamW: betas must be a pair [β₁, β₂], got [0.9,0.99,0.5]',
    );
    expect(() => new optim.Adam(p, { betas: [0.9, '0.9'] as never })).to.throw('Adam: betas[1] must be a probability in [0, 1), got "0.9"');
    expect(() => new optim.Adam(p, { lr: '0.1' as never })).to.throw('Adam: lr must be a finite number ≥ 0, got "0.1"');
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: '0.9' as never })).to.throw('SGD: momentum must be a finite number ≥ 0, got "0.9"');
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: 'yes' as never })).to.throw(
      'SGD: nesterov must be a boolean, got "yes"',
    );
    expect(() => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5, nesterov: true })).to.throw(
      'SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum 0.9, dampening 0.5',
    );
  });

  it('names a bad parameter list, missing options or a scheduler without an optimizer', () => {
    expect(() => new optim.SGD(5 as never, { lr: 0.1 })).to.throw('SGD: params must be an iterable of Parameters, got 5');
    expect(() => new optim.Adam([null] as never)).to.throw('Adam: parameter 0 must be a contiguous leaf tensor (a Parameter), got null');
    expect(() => new optim.SGD([tensor([1], { requiresGrad: true })], undefined as never)).to.throw(
      'SGD: options must be an object with at least lr, got undefined',
    );
    expect(() => new optim.StepLR(null as never, 2)).to.throw('StepLR: optimizer must be an Optimizer, got null');
  });

  it('refuses a bad learning rate when it is assigned, by the optimizer or a scheduler, leaving it unchanged', () => {
    const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => {
        opt.lr = bad;
      }).to.throw(`SGD: lr must be a finite number ≥ 0, got ${bad}`);
    }
    expect(() => {
      opt.lr = '0.2' as never;
    }).to.throw('SGD: lr must be a finite number ≥ 0, got "0.2"');
    expect(opt.lr).to.equal(0.1);
    opt.lr = 0.05;
    expect(opt.lr).to.equal(0.05);
    expect(opt.stateDict().lr).to.equal(0.05);
    class Broken extends optim.LRScheduler {
      lrAt(): number {
        return NaN;
      }
    }
    const schedule = new Broken(opt);
    expect(() => schedule.step()).to.throw('SGD: lr must be a finite number ≥ 0, got NaN');
    expect([opt.lr, schedule.lastEpoch]).to.deep.equal([0.05, 0]);
  });

  it('names the buffer, parameter and element of a bad value in a loaded state', () => {
    const w = tensor(new Array(144).fill(0), { requiresGrad: true });
    const opt = new optim.SGD([w, tensor([0], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });
    const row = new Array(144).fill(0);
    row[5] = null;
    expect(() => opt.loadStateDict({ step: 1, lr: 0.1, buffers: { momentum: [row, [0]] } })).to.throw(
      'SGD.loadStateDict: buffer momentum[0][5] must be a finite number, got null',
    );
    expect(() => opt.loadStateDict({ step: 1, lr: 0.1, buffers: { momentum: [[0], [0]] } })).to.throw(
      "SGD.loadStateDict: buffer momentum[0] must be 144 numbers (parameter 0's size), got an array of 1",
    );
  });

  it('refuses a parameter listed twice, naming both places (PyTorch: "some parameters appear in more than one parameter group")', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const q = tensor([3], { requiresGrad: true });
    expect(() => new optim.SGD([p, q, p], { lr: 0.1 })).to.throw(
      'SGD: parameter 2 is the same tensor as parameter 0; a parameter listed twice would be updated twice',
    );
    expect(() => new optim.Adam([q, q])).to.throw('Adam: parameter 1 is the same tensor as parameter 0');
  });

  it('refuses a negative or non-finite moment in a loaded state, naming buffer and index, leaving the optimizer unchanged', () => {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    const adam = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([1, -1, 0.5]);
    adam.step();
    const before = JSON.stringify(adam.stateDict());
    const state = (exp_avg: number[], exp_avg_sq: number[]) => ({
      step: 1,
      lr: 0.1,
      buffers: { exp_avg: [exp_avg], exp_avg_sq: [exp_avg_sq] },
    });
    expect(() => adam.loadStateDict(state([0, 0, 0], [0, -1e-3, 0]))).to.throw(
      RangeError,
      'Adam.loadStateDict: buffer exp_avg_sq[0][1] must be a finite number ≥ 0 (a running mean of squared gradients), got -0.001',
    );
    expect(() => adam.loadStateDict(state([0, Infinity, 0], [0, 0, 0]))).to.throw(
      'Adam.loadStateDict: buffer exp_avg[0][1] must be a finite number, got Infinity',
    );
    expect(() => adam.loadStateDict(state([0, 0, 0], [0, 0, NaN]))).to.throw('buffer exp_avg_sq[0][2] must be a finite number');
    expect(JSON.stringify(adam.stateDict())).to.equal(before);
    const sgd = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    expect(() => sgd.loadStateDict({ step: 1, lr: 0.1, buffers: { momentum: [[0, -Infinity, 0]] } })).to.throw(
      'SGD.loadStateDict: buffer momentum[0][1] must be a finite number, got -Infinity',
    );
    // A negative momentum is a valid state.
    sgd.loadStateDict({ step: 1, lr: 0.1, buffers: { momentum: [[0, -1, 0]] } });
  });

  it('saves and restores its state to continue identically', () => {
    const run = (resumeAt: number | null): number[] => {
      let p = tensor(fixture.start, { requiresGrad: true });
      let opt = new optim.Adam([p], { lr: 0.05 });
      fixture.grads.forEach((g, step) => {
        if (step === resumeAt) {
          const state = JSON.parse(JSON.stringify(opt.stateDict()));
          p = tensor(Array.from(p.data), { requiresGrad: true });
          opt = new optim.Adam([p], { lr: 0.05 });
          opt.loadStateDict(state);
        }
        p.grad = tensor(g);
        opt.step();
      });
      return Array.from(p.data);
    };
    expect(run(2)).to.deep.equal(run(null));
  });

  it('clipGradNorm scales the global norm down to maxNorm and refuses NaN', () => {
    const a = tensor([3], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    a.grad = tensor([3]);
    b.grad = tensor([4]);
    expect(optim.clipGradNorm([a, b], 1)).to.equal(5);
    expect(a.grad.item()).to.be.closeTo(0.6, 1e-6);
    expect(b.grad.item()).to.be.closeTo(0.8, 1e-6);
    expect(optim.clipGradNorm([a, b], 10)).to.be.closeTo(1, 1e-5);
    b.grad = tensor([NaN]);
    expect(() => optim.clipGradNorm([a, b], 1)).to.throw('clipGradNorm: the total gradient norm is NaN');
  });
});
