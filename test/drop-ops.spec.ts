import { expect } from 'chai';
import { defineOp, F, Generator, gradcheck, manualSeed, nn, randn, type Tensor } from '../index';
import { bernoulliKeepMask, dropoutMask, dropoutOp } from '../nn/drop/dropout';
import { dropout2dMask, dropout2dOp } from '../nn/drop/dropout2d';
import { gaussianDropoutMask, gaussianDropoutOp } from '../nn/drop/gaussian-dropout';
import { uoutMask, uoutOp } from '../nn/drop/uout';
import { alphaDropoutMask, alphaDropoutOp } from '../nn/drop/alpha-dropout';
import { dropBlockMask, dropBlock2dOp } from '../nn/drop/dropblock';
import { dropPathMask, dropPathOp } from '../nn/drop/drop-path';
import { cutoutMask, cutoutOp } from '../nn/drop/cutout';
import { randomErasingMasks, randomErasingOp } from '../nn/drop/random-erasing';
import { dropConnectOp } from '../nn/drop/drop-connect';

/**
 * Every drop technique is its own op: its graph node carries the technique's name, its backward
 * passes a float64 gradcheck with the mask drawn once and replayed under every perturbation, and a
 * backward that forgets the mask (dX = dY, the classic slip) is caught by the same check.
 */
interface Case {
  name: string;
  shape: number[];
  /** Draws the mask(s) once for an input of `shape` and returns x ↦ op(x, mask…). */
  bind: (x: Tensor, g: Generator) => (x: Tensor) => Tensor;
}

const cases: Case[] = [
  {
    name: 'dropout',
    shape: [3, 4],
    bind: (x, g) => {
      const m = dropoutMask(x, 0.5, { generator: g });
      return (t) => dropoutOp(t, m);
    },
  },
  {
    name: 'dropout2d',
    shape: [2, 3, 2, 2],
    bind: (x, g) => {
      const m = dropout2dMask(x, 0.5, { generator: g });
      return (t) => dropout2dOp(t, m);
    },
  },
  {
    name: 'gaussianDropout',
    shape: [3, 4],
    bind: (x, g) => {
      const m = gaussianDropoutMask(x, 0.3, { generator: g });
      return (t) => gaussianDropoutOp(t, m);
    },
  },
  {
    name: 'uout',
    shape: [3, 4],
    bind: (x, g) => {
      const m = uoutMask(x, 0.5, { generator: g });
      return (t) => uoutOp(t, m);
    },
  },
  {
    name: 'alphaDropout',
    shape: [3, 4],
    bind: (x, g) => {
      const m = alphaDropoutMask(x, 0.3, { generator: g });
      return (t) => alphaDropoutOp(t, m, 0.3);
    },
  },
  {
    name: 'dropBlock2d',
    shape: [2, 2, 5, 5],
    bind: (x, g) => {
      const m = dropBlockMask(x, 0.3, { blockSize: 2, generator: g });
      return (t) => dropBlock2dOp(t, m);
    },
  },
  {
    name: 'dropPath',
    shape: [4, 2, 2],
    bind: (x, g) => {
      const m = dropPathMask(x, 0.5, { generator: g });
      return (t) => dropPathOp(t, m);
    },
  },
  {
    name: 'cutout',
    shape: [2, 1, 5, 5],
    bind: (x, g) => {
      const m = cutoutMask(x, 3, { holes: 2, generator: g });
      return (t) => cutoutOp(t, m);
    },
  },
  {
    name: 'randomErasing',
    shape: [1, 2, 6, 6],
    bind: (x, g) => {
      const { keep, fill } = randomErasingMasks(x, 1, { value: 'random', generator: g });
      return (t) => randomErasingOp(t, keep, fill);
    },
  },
];

/** The op with the same forward and a backward that forgets the mask: dX = dY. */
function forgetfulBackward(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return defineOp({ name: 'forgets the mask', forward: (x: Tensor) => ({ output: f(x), saved: null }), backward: (_, g) => [g] });
}

describe('drop technique ops', () => {
  beforeEach(() => manualSeed(0));

  for (const { name, shape, bind } of cases) {
    describe(name, () => {
      it(`records a graph node named '${name}'`, () => {
        const x = randn(shape, { requiresGrad: true });
        expect(bind(x, new Generator(1))(x).gradFn!.name).to.equal(name);
      });

      it('passes gradcheck with the mask replayed', () => {
        const x = randn(shape, { requiresGrad: true });
        expect(gradcheck(bind(x, new Generator(1)), [x]).passed).to.equal(true);
      });

      it('would catch a backward that forgets the mask', () => {
        const x = randn(shape, { requiresGrad: true });
        const report = gradcheck(forgetfulBackward(bind(x, new Generator(1))), [x], { raiseException: false });
        expect(report.passed).to.equal(false);
      });
    });
  }

  it('every technique in F follows F.<technique>(x, main, options) and { training: false } is the identity', () => {
    const x = randn([2, 3, 6, 6]);
    const calls: Array<[string, (options: { training: boolean }) => Tensor]> = [
      ['dropout', (o) => F.dropout(x, 0.5, o)],
      ['dropout2d', (o) => F.dropout2d(x, 0.5, o)],
      ['gaussianDropout', (o) => F.gaussianDropout(x, 0.5, o)],
      ['alphaDropout', (o) => F.alphaDropout(x, 0.5, o)],
      ['uout', (o) => F.uout(x, 0.5, o)],
      ['dropBlock2d', (o) => F.dropBlock2d(x, 0.5, { blockSize: 3, ...o })],
      ['dropPath', (o) => F.dropPath(x, 0.5, o)],
      ['cutout', (o) => F.cutout(x, 3, o)],
      ['randomErasing', (o) => F.randomErasing(x, 1, o)],
    ];
    for (const [name, call] of calls) {
      expect(call({ training: false }), name).to.equal(x);
      expect(call({ training: true }), name).to.not.equal(x);
    }
  });

  it('every drop layer refuses options that are not an object, by name, when it is built', () => {
    const bad = null as unknown as object;
    const builds: Array<[string, () => unknown]> = [
      ['Dropout', () => new nn.Dropout(0.5, bad)],
      ['Dropout2d', () => new nn.Dropout2d(0.5, bad)],
      ['GaussianDropout', () => new nn.GaussianDropout(0.5, bad)],
      ['AlphaDropout', () => new nn.AlphaDropout(0.5, bad)],
      ['Uout', () => new nn.Uout(0.5, bad)],
      ['DropBlock2d', () => new nn.DropBlock2d(0.1, bad)],
      ['DropPath', () => new nn.DropPath(0.1, bad)],
      ['Cutout', () => new nn.Cutout(8, bad)],
      ['RandomErasing', () => new nn.RandomErasing(0.5, bad)],
      ['DropConnectLinear', () => new nn.DropConnectLinear(2, 2, 0.5, bad)],
    ];
    for (const [name, build] of builds) expect(build, name).to.throw(TypeError, `${name}: options must be an object, got null`);
  });

  it('name the technique when a mask does not fit the input', () => {
    expect(() => dropoutOp(randn([2, 1]), randn([2, 3]))).to.throw(
      "dropout: mask of shape [2,3] does not broadcast to the input's shape [2,1]",
    );
    expect(() => dropPathOp(randn([2, 1]), randn([3, 1]))).to.throw(/^dropPath: shapes \[2,1\] and \[3,1\]/);
    expect(() => alphaDropoutOp(randn([2, 2]), randn([2, 1]), 0.5)).to.throw(/^alphaDropout: keep mask of shape \[2,1\] must match/);
  });

  describe('dropConnect (one fused op)', () => {
    const inputs = (): Tensor[] => [
      randn([3, 4], { requiresGrad: true }),
      randn([2, 4], { requiresGrad: true }),
      randn([2], { requiresGrad: true }),
    ];
    const mask = (): Tensor => bernoulliKeepMask([2, 4], 0.5, 'float64', new Generator(3));

    it("records a graph node named 'dropConnect' and passes gradcheck for x, W and b with the mask replayed", () => {
      const [x, w, b] = inputs();
      const m = mask();
      expect(dropConnectOp(x, w, b, m).gradFn!.name).to.equal('dropConnect');
      expect(gradcheck((a: Tensor, c: Tensor, d: Tensor) => dropConnectOp(a, c, d, m), [x, w, b]).passed).to.equal(true);
      expect(
        gradcheck((a: Tensor, c: Tensor) => dropConnectOp(a, c, null, m), [randn([2, 3, 4], { requiresGrad: true }), w]).passed,
      ).to.equal(true);
    });

    it('would catch a backward that forgets the mask in dW', () => {
      const [x, w, b] = inputs();
      const m = mask();
      // Same forward; backward as if W had not been masked: dW = dYᵀX.
      const forgetful = defineOp({
        name: 'forgets the mask',
        forward: (a: Tensor, c: Tensor) => ({ output: dropConnectOp(a, c, b, m), saved: a }),
        backward: (a, g) => [null, g.transpose(0, 1).matmul(a)],
      });
      expect(gradcheck((c: Tensor) => forgetful(x, c), [w], { raiseException: false }).passed).to.equal(false);
    });

    it('refuses a mask of another shape than the weight, by name', () => {
      const [x, w, b] = inputs();
      expect(() => dropConnectOp(x, w, b, randn([4, 2]))).to.throw("dropConnect: mask of shape [4,2] must match the weight's shape [2,4]");
    });
  });
});
