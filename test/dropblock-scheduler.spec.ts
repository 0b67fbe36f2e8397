import { expect } from 'chai';
import { DropBlock2d } from '../nn/drop/dropblock';
import { DropBlockScheduler } from '../nn/drop/dropblock-scheduler';

describe('DropBlockScheduler', () => {
  it('moves keep_prob linearly from 1 to the target over the given steps, then holds it', () => {
    const layers = [new DropBlock2d({ keepProb: 0.9, blockSize: 3 }), new DropBlock2d({ keepProb: 0.9, blockSize: 5 })];
    const schedule = new DropBlockScheduler(layers, { targetKeepProb: 0.9, steps: 4 });
    const seen = [layers[0].keepProb];
    for (let i = 0; i < 6; i++) {
      schedule.step();
      seen.push(layers[0].keepProb);
    }
    [1, 0.975, 0.95, 0.925, 0.9, 0.9, 0.9].forEach((v, i) => expect(seen[i]).to.be.closeTo(v, 1e-12));
    expect(layers[1].keepProb).to.be.closeTo(0.9, 1e-12);
  });

  it('validates its options', () => {
    const layer = new DropBlock2d();
    expect(() => new DropBlockScheduler(layer, { targetKeepProb: 1.1, steps: 3 })).to.throw('DropBlockScheduler: targetKeepProb must be a probability in [0, 1], got 1.1');
    expect(() => new DropBlockScheduler(layer, { targetKeepProb: 0.9, steps: 0 })).to.throw('DropBlockScheduler: steps must be a positive integer, got 0');
  });
});
