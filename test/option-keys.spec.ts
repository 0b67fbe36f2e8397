/**
 * Every public options bag refuses a key it does not know, naming the function, the key and the
 * accepted keys (Adam's `weight_decay`, conv2d's `paddng` and dropout's `trainig` were ignored and
 * trained something other than what was asked). The table lists each options-taking function of
 * the core, nn, the models and the application (with the options bags nested in the models'); the
 * walk over the namespaces fails for a new export that is in no list, so a function added without
 * the check cannot slip by.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import * as root from '../index';
import {
  DataLoader,
  F,
  type ImageDataset,
  type Tensor,
  arange,
  bernoulli,
  clamp,
  crossEntropy,
  eye,
  full,
  fullLike,
  grad,
  gradcheck,
  gradgradcheck,
  idxImageDataset,
  imageDataset,
  loadCifar10,
  loadFashionMnist,
  loadIdxDataset,
  loadInto,
  loadMnist,
  models,
  mseLoss,
  nn,
  ones,
  onesLike,
  optim,
  pad,
  rand,
  randLike,
  randn,
  randnLike,
  readIdxFile,
  save,
  tensor,
  trainEpoch,
  uniform,
  variance,
  zeros,
  zerosLike,
} from '../index';
import { cifarBytes, idxBytes, writeMnistLayout } from './helpers/data-files';

type Options = Record<string, unknown>;
/** Calls the function with `options` (valid ones plus whatever the spec adds) and returns nothing useful (a promise when it is async). */
type Call = (options: Options) => unknown;

const x = (): Tensor => randn([2, 3, 6, 6], { requiresGrad: true });
const leaf = (): Tensor => randn([3], { requiresGrad: true });
const params = (): Tensor[] => [leaf()];

// The data loaders' files: one IDX pair, an MNIST-layout directory, a CIFAR-10 batch, a checkpoint.
const files = mkdtempSync(join(tmpdir(), 'dropgrad-option-keys-'));
const idxImages = join(files, 'images.idx');
const idxLabels = join(files, 'labels.idx');
writeFileSync(idxImages, idxBytes(0x08, [1, 2, 2], [0, 1, 2, 3]));
writeFileSync(idxLabels, idxBytes(0x08, [1], [0]));
writeMnistLayout(files, 1);
const cifarBatch = join(files, 'batch.bin');
writeFileSync(
  cifarBatch,
  cifarBytes([3], () => 7),
);
const checkpoint = join(files, 'linear.safetensors');
save(new nn.Linear(2, 3), checkpoint);
after(() => rmSync(files, { recursive: true, force: true }));

const dataset = (): ImageDataset => imageDataset(new Uint8Array(4), new Uint8Array([0]), [1, 2, 2]);
const idx = (shape: number[]) => ({ shape, data: new Uint8Array(shape.reduce((a, b) => a * b, 1)) });

/** [the name errors use, the call, the valid options it is given alongside the unknown key]. */
const table: Record<string, [where: string, call: Call]> = {
  tensor: ['tensor', (o) => tensor([1, 2], o)],
  full: ['full', (o) => full([2], 1, o)],
  zeros: ['zeros', (o) => zeros([2], o)],
  ones: ['ones', (o) => ones([2], o)],
  arange: ['arange', (o) => arange(3, undefined, 1, o)],
  eye: ['eye', (o) => eye(2, o)],
  rand: ['rand', (o) => rand([2], o)],
  randn: ['randn', (o) => randn([2], o)],
  uniform: ['uniform', (o) => uniform([2], 0, 1, o)],
  bernoulli: ['bernoulli', (o) => bernoulli([2], 0.5, o)],
  zerosLike: ['zerosLike', (o) => zerosLike(leaf(), o)],
  onesLike: ['onesLike', (o) => onesLike(leaf(), o)],
  fullLike: ['fullLike', (o) => fullLike(leaf(), 2, o)],
  randLike: ['randLike', (o) => randLike(leaf(), o)],
  randnLike: ['randnLike', (o) => randnLike(leaf(), o)],
  clamp: ['clamp', (o) => clamp(leaf(), { min: 0, ...o })],
  variance: ['var', (o) => variance(leaf(), undefined, o)],
  crossEntropy: ['crossEntropy', (o) => crossEntropy(randn([2, 3]), tensor([0, 2]), o)],
  mseLoss: ['mseLoss', (o) => mseLoss(leaf(), randn([3]), o)],
  pad: ['pad', (o) => pad(leaf(), [1, 1], o)],
  grad: ['grad', (o) => grad(leaf().sum(), [leaf()], undefined, o)],
  backward: ['backward', (o) => leaf().sum().backward(undefined, o)],
  gradcheck: ['gradcheck', (o) => gradcheck((t) => t.mul(2), [leaf()], o)],
  gradgradcheck: ['gradgradcheck', (o) => gradgradcheck((t) => t.mul(t), [leaf()], o)],
  'F.conv2d': ['conv2d', (o) => F.conv2d(x(), randn([4, 3, 3, 3]), null, o)],
  'F.convTranspose2d': ['convTranspose2d', (o) => F.convTranspose2d(x(), randn([3, 4, 3, 3]), null, o)],
  'F.maxPool2d': ['maxPool2d', (o) => F.maxPool2d(x(), 2, o)],
  'F.avgPool2d': ['avgPool2d', (o) => F.avgPool2d(x(), 2, o)],
  'F.crossEntropy': ['crossEntropy', (o) => F.crossEntropy(randn([2, 3]), tensor([0, 2]), o)],
  'F.mseLoss': ['mseLoss', (o) => F.mseLoss(leaf(), randn([3]), o)],
  'F.pad': ['pad', (o) => F.pad(leaf(), [1, 1], o)],
  'F.dropout': ['dropout', (o) => F.dropout(x(), 0.5, o)],
  'F.dropout2d': ['dropout2d', (o) => F.dropout2d(x(), 0.5, o)],
  'F.gaussianDropout': ['gaussianDropout', (o) => F.gaussianDropout(x(), 0.5, o)],
  'F.alphaDropout': ['alphaDropout', (o) => F.alphaDropout(x(), 0.5, o)],
  'F.uout': ['uout', (o) => F.uout(x(), 0.5, o)],
  'F.dropBlock2d': ['dropBlock2d', (o) => F.dropBlock2d(x(), 0.5, o)],
  'F.dropPath': ['dropPath', (o) => F.dropPath(x(), 0.5, o)],
  'F.cutout': ['cutout', (o) => F.cutout(x(), 2, o)],
  'F.randomErasing': ['randomErasing', (o) => F.randomErasing(x(), 0.5, o)],
  'nn.Linear': ['Linear', (o) => new nn.Linear(2, 3, o)],
  'nn.Conv2d': ['Conv2d', (o) => new nn.Conv2d(3, 4, 3, o)],
  'nn.ConvTranspose2d': ['ConvTranspose2d', (o) => new nn.ConvTranspose2d(3, 4, 3, o)],
  'nn.BatchNorm1d': ['BatchNorm1d', (o) => new nn.BatchNorm1d(3, o)],
  'nn.BatchNorm2d': ['BatchNorm2d', (o) => new nn.BatchNorm2d(3, o)],
  'nn.BatchNorm3d': ['BatchNorm3d', (o) => new nn.BatchNorm3d(3, o)],
  'nn.MaxPool2d': ['MaxPool2d', (o) => new nn.MaxPool2d(2, o)],
  'nn.AvgPool2d': ['AvgPool2d', (o) => new nn.AvgPool2d(2, o)],
  'nn.Dropout': ['Dropout', (o) => new nn.Dropout(0.5, o)],
  'nn.Dropout2d': ['Dropout2d', (o) => new nn.Dropout2d(0.5, o)],
  'nn.SpatialDropout': ['Dropout2d', (o) => new nn.SpatialDropout(0.5, o)],
  'nn.GaussianDropout': ['GaussianDropout', (o) => new nn.GaussianDropout(0.5, o)],
  'nn.AlphaDropout': ['AlphaDropout', (o) => new nn.AlphaDropout(0.5, o)],
  'nn.Uout': ['Uout', (o) => new nn.Uout(0.5, o)],
  'nn.DropBlock2d': ['DropBlock2d', (o) => new nn.DropBlock2d(0.5, o)],
  'nn.DropPath': ['DropPath', (o) => new nn.DropPath(0.5, o)],
  'nn.StochasticDepth': ['DropPath', (o) => new nn.StochasticDepth(0.5, o)],
  'nn.Cutout': ['Cutout', (o) => new nn.Cutout(2, o)],
  'nn.RandomErasing': ['RandomErasing', (o) => new nn.RandomErasing(0.5, o)],
  'nn.DropConnectLinear': ['DropConnectLinear', (o) => new nn.DropConnectLinear(2, 3, 0.5, o)],
  'nn.DropBlockScheduler': [
    'DropBlockScheduler',
    (o) => new nn.DropBlockScheduler(new nn.DropBlock2d(0.1), { targetKeepProb: 0.9, steps: 10, ...o }),
  ],
  'nn.Module.loadStateDict': ['loadStateDict', (o) => new nn.Linear(2, 3).loadStateDict(new nn.Linear(2, 3).stateDict(), o)],
  'nn.init.kaimingUniform_': ['kaimingUniform_', (o) => nn.init.kaimingUniform_(zeros([3, 2]), o)],
  'optim.SGD': ['SGD', (o) => new optim.SGD(params(), { lr: 0.1, ...o })],
  'optim.Adam': ['Adam', (o) => new optim.Adam(params(), o)],
  'optim.AdamW': ['AdamW', (o) => new optim.AdamW(params(), o)],
  'models.smallCnn': ['smallCnn', (o) => models.smallCnn(o)],
  'models.smallCnn regularizers': ['smallCnn: regularizers', (o) => models.smallCnn({ regularizers: o })],
  'models.smallCnn regularizers.dropBlock': [
    'smallCnn: regularizers.dropBlock',
    (o) => models.smallCnn({ regularizers: { dropBlock: { p: 0.1, ...o } } }),
  ],
  'models.resnet': ['resnet', (o) => models.resnet(o)],
  'models.ResNet': ['resnet', (o) => new models.ResNet(o)],
  'models.resnet stochasticDepth': [
    'resnet: stochasticDepth',
    (o) => models.resnet({ layers: [1], widths: [2], stochasticDepth: { pL: 0.5, ...o } }),
  ],
  'models.resnet dropBlock': [
    'resnet: dropBlock',
    (o) => models.resnet({ layers: [1], widths: [2], dropBlock: { p: 0.1, stages: [1], ...o } }),
  ],
  'models.BasicBlock': ['BasicBlock', (o) => new models.BasicBlock(2, 2, o)],
  'models.Bottleneck': ['Bottleneck', (o) => new models.Bottleneck(2, 2, o)],
  'models.BasicBlock stochasticDepth': ['BasicBlock: stochasticDepth', (o) => new models.BasicBlock(2, 2, { stochasticDepth: o })],
  'models.ResidualDrop': ['stochastic depth', (o) => new models.ResidualDrop(o)],
  DataLoader: ['DataLoader', (o) => new DataLoader(dataset(), o)],
  imageDataset: ['imageDataset', (o) => imageDataset(new Uint8Array(4), new Uint8Array([0]), [1, 2, 2], o)],
  idxImageDataset: ['idxImageDataset', (o) => idxImageDataset(idx([1, 2, 2]), idx([1]), o)],
  readIdxFile: ['readIdxFile', (o) => readIdxFile(idxImages, o)],
  loadIdxDataset: ['loadIdxDataset', (o) => loadIdxDataset(idxImages, idxLabels, o)],
  loadMnist: ['loadMnist', (o) => loadMnist('train', { dir: files, ...o })],
  loadFashionMnist: ['loadFashionMnist', (o) => loadFashionMnist('test', { dir: files, ...o })],
  loadCifar10: ['loadCifar10', (o) => loadCifar10([cifarBatch], o)],
  save: ['save', (o) => save(new nn.Linear(2, 3), join(files, 'saved.safetensors'), o)],
  loadInto: ['loadInto', (o) => loadInto(new nn.Linear(2, 3), checkpoint, o)],
  trainEpoch: ['trainEpoch', (o) => trainEpoch(new nn.Linear(2, 3), [], new optim.SGD(params(), { lr: 0.1 }), o)],
};

/** Exports that take no options bag (positional arguments only), so have nothing to check. */
const takesNoOptions = new Set([
  ...['abs', 'add', 'cat', 'concat', 'contiguous', 'div', 'exp', 'expand', 'flatten', 'gather', 'indexSelect', 'isGradEnabled'],
  ...['leakyRelu', 'linear', 'log', 'logSoftmax', 'manualSeed', 'matmul', 'max', 'mean', 'min', 'mul', 'narrow', 'neg', 'noGrad'],
  ...['permute', 'pow', 'relu', 'reshape', 'select', 'sigmoid', 'slice', 'softmax', 'sqrt', 'squeeze', 'stack', 'sub', 'sum'],
  ...['tanh', 'transpose', 'unsqueeze', 'view', 'where', 'Generator', 'GradcheckError', 'Tensor', 'chaiGradcheck'],
  // defineOp takes an op's definition (name, forward, backward), not options.
  'defineOp',
  ...['F.adaptiveAvgPool2d', 'F.batchNorm', 'F.leakyRelu', 'F.linear', 'F.logSoftmax', 'F.relu', 'F.sigmoid', 'F.softmax', 'F.tanh'],
  ...['nn.AdaptiveAvgPool2d', 'nn.Flatten', 'nn.Identity', 'nn.LeakyReLU', 'nn.Module', 'nn.ModuleList', 'nn.NoiseLayer'],
  ...['nn.Parameter', 'nn.ReLU', 'nn.Sequential', 'nn.Sigmoid', 'nn.Tanh', 'nn.linearSurvival', 'nn.init.fanIn', 'nn.init.uniform_'],
  ...['optim.CosineAnnealingLR', 'optim.LRScheduler', 'optim.Optimizer', 'optim.StepLR', 'optim.clipGradNorm'],
  ...['decodeSafetensors', 'evaluate', 'gunzipIfGzip', 'inspectCheckpoint', 'isGzip', 'load', 'loadCheckpoint', 'readCifar10'],
  ...['readIdx', 'readIdxAsync', 'readSafetensors', 'runGradcheckSuite'],
  // A safetensors file's metadata is free-form string pairs, a checkpoint's contents a record of required fields.
  ...['encodeSafetensors', 'saveCheckpoint'],
]);

/** Root exports from kernels/ (backends): their own specs cover their options. */
const otherFloors = new Set([
  ...['backendStatus', 'configureGpuJs', 'getBackend', 'getNumThreads', 'gpuJsStatus', 'hasRealGpuContext', 'setBackend'],
  ...['releaseMemory', 'setNumThreads', 'wasmStatus', 'webglRenderer', 'withBackend'],
]);

/**
 * The entries whose options must hold a key (clamp's min or max, SGD's lr, the schedule's…), or
 * here the data loaders' dir (no data set is installed where they look by default): the table
 * merges it in.
 */
const needsAKey = new Set([
  'loadMnist',
  'loadFashionMnist',
  'clamp',
  'nn.DropBlockScheduler',
  'optim.SGD',
  'models.smallCnn regularizers.dropBlock',
  'models.resnet stochasticDepth',
  'models.resnet dropBlock',
]);

/** What the call threw, synchronously or as its promise's rejection; undefined when it did not. */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error;
  }
}

function exportedFunctions(): string[] {
  const names: string[] = [];
  const walk = (prefix: string, ns: object): void => {
    for (const [key, value] of Object.entries(ns)) if (typeof value === 'function') names.push(prefix + key);
  };
  walk('', root);
  walk('F.', F);
  walk('nn.', nn);
  walk('nn.init.', nn.init);
  walk('optim.', optim);
  walk('models.', models);
  return names;
}

describe('unknown option keys are refused everywhere, naming the function, the key and the accepted keys', () => {
  for (const [name, [where, call]] of Object.entries(table)) {
    it(name, async () => {
      const error = await thrown(() => call({ bogusKey: 1 }));
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.contain(`${where}: unknown option 'bogusKey'; the options are `);
    });
  }

  it('every options-taking export of the core, nn, the models and the application is in the table (a new one must be added there)', () => {
    const tabled = new Set(Object.keys(table));
    const unlisted = exportedFunctions().filter((name) => !tabled.has(name) && !takesNoOptions.has(name) && !otherFloors.has(name));
    expect(unlisted, 'exports in no list: add them to the table or to takesNoOptions').to.deep.equal([]);
  });

  it('suggests the accepted key a slip most likely meant, and lists them all', () => {
    expect(() => new optim.Adam(params(), { weight_decay: 0.1 } as never)).to.throw(
      TypeError,
      "Adam: unknown option 'weight_decay' (did you mean 'weightDecay'?); the options are lr, betas, eps, weightDecay",
    );
    expect(() => F.conv2d(x(), randn([4, 3, 3, 3]), null, { paddng: 1 } as never)).to.throw(
      TypeError,
      "conv2d: unknown option 'paddng' (did you mean 'padding'?); the options are stride, padding, dilation, groups",
    );
    expect(() => F.dropout(x(), 0.5, { trainig: false } as never)).to.throw(
      TypeError,
      "dropout: unknown option 'trainig' (did you mean 'training'?); the options are training, generator",
    );
    // A layer's options are its functional form's without `training` (the module's mode decides).
    expect(() => new nn.Dropout(0.5, { training: false } as never)).to.throw(
      TypeError,
      "Dropout: unknown option 'training'; the options are generator",
    );
  });

  it("names a model's misspelt regularizer, which trained the model without it", () => {
    expect(() => models.smallCnn({ regularizers: { dropot: 0.5 } as never })).to.throw(
      TypeError,
      "smallCnn: regularizers: unknown option 'dropot' (did you mean 'dropout'?); the options are ",
    );
  });

  it('refuses an unknown key before any file is read or written', async () => {
    const missing = join(files, 'missing', 'file');
    const calls: [string, () => unknown][] = [
      ['readIdxFile', () => readIdxFile(missing, { bogusKey: 1 } as never)],
      ['loadIdxDataset', () => loadIdxDataset(missing, missing, { bogusKey: 1 } as never)],
      ['loadMnist', () => loadMnist('train', { dir: missing, bogusKey: 1 } as never)],
      ['loadFashionMnist', () => loadFashionMnist('train', { dir: missing, bogusKey: 1 } as never)],
      ['loadCifar10', () => loadCifar10([missing], { bogusKey: 1 } as never)],
      ['save', () => save(new nn.Linear(2, 3), missing, { bogusKey: 1 } as never)],
      ['loadInto', () => loadInto(new nn.Linear(2, 3), missing, { bogusKey: 1 } as never)],
    ];
    for (const [where, call] of calls) {
      const error = await thrown(call);
      expect((error as Error).message, where).to.contain(`${where}: unknown option 'bogusKey'`);
    }
  });

  it('refuses options that are not an object, even where they are spread into others (zerosLike took null)', async () => {
    for (const [name, [where, call]] of Object.entries(table)) {
      if (needsAKey.has(name)) continue; // the table merges the key they need into the options
      const error = await thrown(() => call(null as never));
      expect(error, name).to.be.instanceOf(TypeError);
      expect((error as Error).message, name).to.contain(`${where}: options must be `);
    }
  });

  it('accepts every valid key', async () => {
    for (const [name, [, call]] of Object.entries(table)) expect(await thrown(() => call({})), name).to.equal(undefined);
  });
});
