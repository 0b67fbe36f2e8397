import { expect } from 'chai';
import { gradcheck, manualSeed, ones, randn, type Tensor } from '../index';
import { DROPOUT2D_3D_WARNING, Dropout2d, dropout2d } from '../nn/drop/dropout2d';
import { resetWarning } from '../lib/warn-once';
import { expectRate, zeroFraction } from './helpers/stats';

describe('Dropout2d', () => {
  beforeEach(() => manualSeed(2));

  it('drops whole channels at rate p: each (sample, channel) map is all zero or all scaled', () => {
    const [n, c, h, w] = [200, 50, 3, 4];
    const layer = new Dropout2d(0.25);
    const y = layer.forward(ones([n, c, h, w])).data;
    expect(layer.lastMask!.shape).to.deep.equal([n, c, 1, 1]);
    for (let map = 0; map < n * c; map++) {
      const values = new Set(y.subarray(map * h * w, (map + 1) * h * w));
      expect(values.size).to.equal(1);
      expect([0, 1 / 0.75]).to.include([...values][0]);
    }
    expectRate(zeroFraction(layer.lastMask!.data), 0.25, n * c, 'channel drop rate');
  });

  describe('3-D input: PyTorch 1.12 – 2.x reads it as (N,C,L), with a warning shown once', () => {
    let warnings: unknown[][];
    const originalWarn = console.warn;
    beforeEach(() => {
      resetWarning('dropout2d-3d');
      warnings = [];
      console.warn = (...args: unknown[]) => warnings.push(args);
    });
    afterEach(() => {
      console.warn = originalWarn;
    });

    it('draws one mask value per (sample, channel) of an (N,C,L) input, not per channel of a (C,H,W) image', () => {
      const layer = new Dropout2d(0.5);
      const y = layer.forward(ones([4, 3, 5]));
      expect(layer.lastMask!.shape).to.deep.equal([4, 3, 1]);
      for (let row = 0; row < 12; row++) expect(new Set(y.data.subarray(row * 5, row * 5 + 5)).size).to.equal(1);
    });

    it("emits PyTorch's warning, word for word, once per process", () => {
      dropout2d(randn([2, 3, 4]), 0.5);
      dropout2d(randn([2, 3, 4]), 0.5);
      new Dropout2d(0.5).forward(randn([2, 3, 4]));
      expect(warnings).to.deep.equal([[DROPOUT2D_3D_WARNING]]);
      expect(DROPOUT2D_3D_WARNING).to.match(
        /^dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired/,
      );
      dropout2d(randn([2, 3, 4, 4]), 0.5);
      expect(warnings).to.have.length(1);
    });
  });

  it('refuses 2-D and 5-D input, which PyTorch deprecates, with the reason', () => {
    expect(() => dropout2d(randn([3, 4]), 0.5)).to.throw(
      'dropout2d: input must be 4-D (N,C,H,W) or 3-D (N,C,L), got a 2-D input [3,4] (PyTorch deprecates other ranks: use dropout for elementwise dropout, or reshape to (N,C,H,W))',
    );
    expect(() => dropout2d(randn([1, 2, 2, 2, 2]), 0.5, { training: false })).to.throw(
      'dropout2d: input must be 4-D (N,C,H,W) or 3-D (N,C,L), got a 5-D input',
    );
    expect(() => dropout2d(randn([1, 1, 2, 2]), 2)).to.throw('dropout2d: p must be a probability in [0, 1], got 2');
    expect(() => new Dropout2d(0.5).eval().forward(randn([3, 4]))).to.throw(
      'dropout2d: input must be 4-D (N,C,H,W) or 3-D (N,C,L), got a 2-D input',
    );
  });

  it('is the identity in eval mode', () => {
    const x = randn([2, 3, 4, 4]);
    expect(new Dropout2d(0.5).eval().forward(x)).to.equal(x);
    expect(dropout2d(x, 0.5, { training: false })).to.equal(x);
  });

  it('gradcheck in training mode with a fixed seed', () => {
    const x = randn([2, 3, 3, 2], { requiresGrad: true });
    gradcheck((t: Tensor) => dropout2d(t, 0.5), [x], { seed: 5 });
  });
});
