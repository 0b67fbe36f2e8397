import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as root from '../index';
import { F, nn } from '../index';
import { gradcheckSuite } from '../app/gradcheck-suite/suite';

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

/** Root ops that are another op under a second name or a composition of one: the suite checks that op. */
const COMPOSED_OPS: Record<string, string> = {
  view: 'reshape',
  flatten: 'reshape',
  squeeze: 'reshape',
  unsqueeze: 'reshape',
  cat: 'concat',
  narrow: 'slice',
  select: 'slice',
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

  it('has an entry for every op the package root exports from lib/ops, aliases and compositions named with what they reduce to', () => {
    const opsDir = join(__dirname, '..', 'lib', 'ops');
    const rootOps = readdirSync(opsDir).flatMap((file) => {
      const module = require(join(opsDir, file)) as Record<string, unknown>;
      return Object.entries(module)
        .filter(([name, value]) => typeof value === 'function' && (root as Record<string, unknown>)[name] === value)
        .map(([name]) => name);
    });
    expect(rootOps).to.include.members(['add', 'min', 'contiguous', 'view']);
    for (const [name, target] of Object.entries(COMPOSED_OPS)) expect(covered, `${name} → ${target}`).to.include(target);
    expect(rootOps.filter((name) => !covered.has(name) && !(name in COMPOSED_OPS))).to.deep.equal([]);
  });

  it('lists no exemption that is not an nn export', () => {
    for (const name of Object.keys(EXEMPT_LAYERS)) expect(nn, name).to.have.property(name);
  });
});
