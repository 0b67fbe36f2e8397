import { expect } from 'chai';
import { DropBlock2d } from '../nn/drop/dropblock';
import { DropBlockScheduler } from '../nn/drop/dropblock-scheduler';
import { Dropout } from '../nn/drop/dropout';

describe('DropBlockScheduler', () => {
  it('moves keep_prob linearly from 1 to the target over the given steps, then holds it (layers see p = 1 − keep_prob)', () => {
    const layers = [new DropBlock2d(0.1, { blockSize: 3 }), new DropBlock2d(0.1, { blockSize: 5 })];
    const schedule = new DropBlockScheduler(layers, { targetKeepProb: 0.9, steps: 4 });
    const seen = [1 - layers[0].p];
    for (let i = 0; i < 6; i++) {
      schedule.step();
      seen.push(1 - layers[0].p);
    }
    [1, 0.975, 0.95, 0.925, 0.9, 0.9, 0.9].forEach((v, i) => {
      expect(seen[i]).to.be.closeTo(v, 1e-12);
    });
    expect(layers[1].p).to.be.closeTo(0.1, 1e-12);
  });

  it('validates its options', () => {
    const layer = new DropBlock2d();
    expect(() => new DropBlockScheduler(layer, { targetKeepProb: 1.1, steps: 3 })).to.throw(
      'DropBlockScheduler: targetKeepProb must be a probability in [0, 1], got 1.1',
    );
    expect(() => new DropBlockScheduler(layer, { targetKeepProb: 0.9, steps: 0 })).to.throw(
      'DropBlockScheduler: steps must be a positive integer, got 0',
    );
  });

  it('refuses layers that are not DropBlock2d and a missing options object, by name, before touching any layer', () => {
    const dropout = new Dropout(0.5);
    const schedule = DropBlockScheduler as unknown as new (layers: unknown, options?: unknown) => DropBlockScheduler;
    expect(() => new schedule([new DropBlock2d(), dropout], { targetKeepProb: 0.9, steps: 3 })).to.throw(
      'DropBlockScheduler: layers must be DropBlock2d layers, got Dropout at index 1',
    );
    expect(dropout.p).to.equal(0.5);
    expect(() => new schedule([], { targetKeepProb: 0.9, steps: 3 })).to.throw(
      'DropBlockScheduler: layers must be a DropBlock2d or a non-empty list of them, got an empty list',
    );
    expect(() => new schedule(new DropBlock2d())).to.throw(
      'DropBlockScheduler: options must be an object such as { targetKeepProb: 0.9, steps: 1000 }, got undefined',
    );
  });
});
