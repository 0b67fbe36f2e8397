import { expect } from 'chai';
import { F, nn } from '../index';
import { gradcheckSuite } from '../app/gradcheck-suite';

/**
 * The gradcheck suite must name every op F exports and every layer class nn exports, so a new op
 * or layer cannot be forgotten: the exports are enumerated at run time, and a suite entry covers
 * an export when its name's first word is the export's name ('dropout (p 0.5)' covers F.dropout).
 */
const EXEMPT_LAYERS: Record<string, string> = {
  Module: 'the abstract base class: it has no forward of its own',
  ModuleList: 'a container without a forward (Sequential, which runs its modules, is checked)',
  NoiseLayer: 'the abstract base of the drop layers, each of which is checked',
};

const covered = new Set(gradcheckSuite.map((check) => check.name.split(' ')[0]));

describe('gradcheck suite coverage', () => {
  it('has an entry for every function in F', () => {
    const ops = Object.entries(F)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    expect(ops).to.include.members(['dropout', 'dropBlock2d', 'conv2d']);
    expect(ops.filter((name) => !covered.has(name))).to.deep.equal([]);
  });

  it('has an entry for every layer class in nn, exemptions listed with their reason', () => {
    const layers = Object.entries(nn)
      .filter(([, value]) => typeof value === 'function' && (value === nn.Module || value.prototype instanceof nn.Module))
      .map(([name, value]) => ({ name, className: (value as { name: string }).name }));
    expect(layers.map((l) => l.name)).to.include.members(['Dropout', 'DropBlock2d', 'Linear', 'StochasticDepth']);
    // An alias (StochasticDepth, SpatialDropout) is covered by its class's entry.
    const missing = layers.filter((l) => !covered.has(l.className) && !(l.className in EXEMPT_LAYERS)).map((l) => l.name);
    expect(missing).to.deep.equal([]);
  });

  it('lists no exemption that is not an nn export', () => {
    for (const name of Object.keys(EXEMPT_LAYERS)) expect(nn, name).to.have.property(name);
  });
});
