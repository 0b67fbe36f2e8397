import { expect } from 'chai';
import { UsageError } from '../app/flags/usage-error';
import { type Experiment, buildExperiment, planExperiment } from '../app/setup/experiment';
import { regularizerFlags } from '../app/setup/drop-techniques';
import { smallCnn } from '../nn/models/small-cnn';
import { AlphaDropout } from '../nn/drop/alpha-dropout';
import { Cutout } from '../nn/drop/cutout';
import { DropConnectLinear } from '../nn/drop/drop-connect';
import { DropBlock2d } from '../nn/drop/dropblock';
import { Dropout } from '../nn/drop/dropout';
import { Dropout2d } from '../nn/drop/dropout2d';
import { GaussianDropout } from '../nn/drop/gaussian-dropout';
import { RandomErasing } from '../nn/drop/random-erasing';
import { Uout } from '../nn/drop/uout';
import { ResidualBlock } from '../nn/models/residual-block';
import { MaxPool2d } from '../nn/pooling';

/** The model's elementwise Dropout layers in the conv stages (each right before a max-pool) or in the classifier. */
function elementwiseDropouts(e: Experiment, where: 'conv stages' | 'classifier'): number {
  const layers = e.model.modules();
  return layers.filter((m, i) => m instanceof Dropout && layers[i + 1] instanceof MaxPool2d === (where === 'conv stages')).length;
}

/** Each regularizer flag with a value, and how to see it in the built experiment (its layers, in the model or on the input). */
const flags: Record<string, { value: string; count: (e: Experiment) => number }> = {
  dropout: { value: '0.5', count: (e) => elementwiseDropouts(e, 'classifier') },
  dropout2d: { value: '0.3', count: (e) => e.model.modules().filter((m) => m instanceof Dropout2d).length },
  'dropout-conv': { value: '0.1', count: (e) => elementwiseDropouts(e, 'conv stages') },
  gaussian: { value: '0.5', count: (e) => e.model.modules().filter((m) => m instanceof GaussianDropout).length },
  uout: { value: '0.5', count: (e) => e.model.modules().filter((m) => m instanceof Uout).length },
  'alpha-dropout': { value: '0.3', count: (e) => e.model.modules().filter((m) => m instanceof AlphaDropout).length },
  dropconnect: { value: '0.5', count: (e) => e.model.modules().filter((m) => m instanceof DropConnectLinear).length },
  dropblock: { value: '0.9:3', count: (e) => e.model.modules().filter((m) => m instanceof DropBlock2d).length },
  'stochastic-depth': {
    value: '0.5',
    count: (e) => e.model.modules().filter((m) => m instanceof ResidualBlock && m.depth.survivalProb < 1).length,
  },
  cutout: { value: '1:8', count: (e) => e.inputDrops.filter((m) => m instanceof Cutout).length },
  'random-erasing': { value: '0.5', count: (e) => e.inputDrops.filter((m) => m instanceof RandomErasing).length },
};
const names = Object.keys(flags);
const models = ['small-cnn', 'resnet', 'resnet-small'];

/** Why a set of flags must be refused on a model, or undefined when every one of them must be trained. */
function expectedRefusal(model: string, given: readonly string[]): RegExp | undefined {
  const on = (...flags: string[]): boolean => flags.filter((f) => given.includes(f)).length > 1;
  if (model === 'small-cnn') {
    if (given.includes('stochastic-depth')) return /^--stochastic-depth: needs --model resnet/;
    if (on('dropout', 'gaussian', 'uout', 'alpha-dropout')) return /both put their noise in the classifier's drop slot/;
    if (on('dropout2d', 'dropout-conv', 'dropblock')) return /^--\S+ and --\S+ both put their noise in the spatial drop slot/;
    return undefined;
  }
  const unplaced = given.filter((f) => !['dropblock', 'stochastic-depth', 'cutout', 'random-erasing'].includes(f));
  if (unplaced.length === 0) return undefined;
  return new RegExp(
    `^${unplaced.map((f) => `--${f}`).join(', ')}: --model ${model} has no place for (it|them); it takes --dropblock, --stochastic-depth, --cutout, --random-erasing`,
  );
}

describe('train and compare: every regularizer flag is trained, or refused before any work', () => {
  it('the table covers every regularizer flag (a new flag must say how it is seen in the model)', () => {
    expect(names).to.have.members(Object.keys(regularizerFlags).filter((f) => f !== 'dropblock-schedule'));
  });

  for (const model of models) {
    it(`--model ${model}: each flag alone and every pair is built into the model and named in the label, or refused naming the flags`, () => {
      const sets = [...names.map((a) => [a]), ...names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b]))];
      for (const given of sets) {
        const argv = Object.fromEntries(given.map((f) => [f, flags[f].value]));
        const refusal = expectedRefusal(model, given);
        const what = `--model ${model} ${given.map((f) => `--${f}`).join(' ')}`;
        if (refusal !== undefined) {
          expect(() => planExperiment({ model, ...argv }), what)
            .to.throw(UsageError)
            .with.property('message')
            .that.matches(refusal);
          continue;
        }
        const experiment = buildExperiment(planExperiment({ model, ...argv }), [1, 28, 28], 10);
        for (const flag of given) expect(flags[flag].count(experiment), `${what}: ${flag}`).to.be.greaterThan(0);
        for (const flag of names.filter((f) => !given.includes(f)))
          expect(flags[flag].count(experiment), `${what}: no ${flag}`).to.equal(0);
        expect(experiment.transforms, `${what}: one transform per input drop`).to.have.length(experiment.inputDrops.length);
        expect(experiment.label, what).to.equal(given.map((f) => `${f} ${flags[f].value}`).join(', '));
      }
    });
  }

  it('names both flags of a pair that share a slot, e.g. --dropout with --gaussian', () => {
    expect(() => planExperiment({ dropout: '0.5', gaussian: '0.5' })).to.throw(
      "--dropout and --gaussian both put their noise in the classifier's drop slot (before and after its hidden layer); give one",
    );
    expect(() => planExperiment({ model: 'resnet', dropout: '0.5' })).to.throw(
      '--dropout: --model resnet has no place for it; it takes --dropblock, --stochastic-depth, --cutout, --random-erasing (or use --model small-cnn)',
    );
  });

  it('smallCnn itself refuses two regularizers for one slot instead of building one', () => {
    expect(() => smallCnn({ regularizers: { uout: 0.5, alphaDropout: 0.3 } })).to.throw(
      RangeError,
      'smallCnn: regularizers.uout and regularizers.alphaDropout share one slot of the model; give one',
    );
    expect(() => smallCnn({ regularizers: { dropout2d: 0.3, dropBlock: { p: 0.1, blockSize: 3 } } })).to.throw(
      'smallCnn: regularizers.dropout2d and regularizers.dropBlock share one slot of the model',
    );
  });
});
