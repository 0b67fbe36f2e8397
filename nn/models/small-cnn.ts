/**
 * A small CNN for 28×28 digits, with a slot for every drop technique where it belongs:
 *
 *   [conv3×3 → BN → ReLU → (Dropout2d | DropBlock | Dropout) → maxpool2] × 2
 *   → flatten → (Dropout | GaussianDropout | Uout | AlphaDropout) → Linear/DropConnectLinear → ReLU
 *   → (the same activation drop) → Linear
 *
 * A slot holds one layer: two regularizers for one slot (dropout with uout) are refused.
 *
 * Spatial techniques act on feature maps, elementwise ones on the classifier's activations, and
 * DropConnect replaces the hidden linear layer. Elementwise Dropout can also take the spatial slot
 * (`dropoutConv`), so that the three ways of dropping feature maps compare at one place. Input-level ones (Cutout, RandomErasing) are data
 * transforms (see app/data), not layers.
 */
import type { Module } from '../module';
import { Sequential } from '../containers';
import { Conv2d } from '../conv2d';
import { BatchNorm2d } from '../batchnorm';
import { ReLU } from '../activations';
import { MaxPool2d } from '../pooling';
import { Flatten } from '../flatten';
import { Linear } from '../linear';
import type { LayerOptions } from '../layer-options';
import { Dropout } from '../drop/dropout';
import { Dropout2d } from '../drop/dropout2d';
import { GaussianDropout } from '../drop/gaussian-dropout';
import { Uout } from '../drop/uout';
import { AlphaDropout } from '../drop/alpha-dropout';
import { DropConnectLinear } from '../drop/drop-connect';
import { dropBlock2dLayer } from '../drop/dropblock';
import { checkOptions, optionKeys } from '../../lib/validate';
import { type DropBlockSettings, dropBlockSettingKeys } from './dropblock-settings';

export interface SmallCnnRegularizers {
  dropout?: number;
  dropout2d?: number;
  /** Elementwise Dropout after each conv stage, in the slot of Dropout2d and DropBlock. */
  dropoutConv?: number;
  gaussianDropout?: number;
  uout?: number;
  alphaDropout?: number;
  dropConnect?: number;
  /** DropBlock after each conv stage: its drop probability p and its layer options. */
  dropBlock?: DropBlockSettings;
}
const regularizerKeys = optionKeys<SmallCnnRegularizers>({
  dropout: true,
  dropout2d: true,
  dropoutConv: true,
  gaussianDropout: true,
  uout: true,
  alphaDropout: true,
  dropConnect: true,
  dropBlock: true,
});

export interface SmallCnnOptions extends LayerOptions {
  /** Channels of the two conv stages (default [16, 32]). */
  channels?: readonly [number, number];
  /** Width of the hidden linear layer (default 128). */
  hidden?: number;
  inChannels?: number;
  /** Input height and width, divisible by 4 (default 28). */
  imageSize?: number;
  numClasses?: number;
  regularizers?: SmallCnnRegularizers;
}
const dropBlockKeys = optionKeys<DropBlockSettings>(dropBlockSettingKeys);
const smallCnnOptionKeys = optionKeys<SmallCnnOptions>({
  dtype: true,
  generator: true,
  channels: true,
  hidden: true,
  inChannels: true,
  imageSize: true,
  numClasses: true,
  regularizers: true,
});

/** The options, the regularizers and DropBlock's settings each refuse a key they do not know (a misspelt one trained without it). */
function checkSmallCnnOptions(options: SmallCnnOptions): SmallCnnRegularizers {
  checkOptions('smallCnn', options, smallCnnOptionKeys);
  const { regularizers } = options;
  const r = regularizers === undefined ? {} : checkOptions('smallCnn: regularizers', regularizers, regularizerKeys);
  if (r.dropBlock !== undefined) checkOptions('smallCnn: regularizers.dropBlock', r.dropBlock, dropBlockKeys);
  return r;
}

/** The regularizers that share one slot: asking for two of them would silently train only one. */
const slots: ReadonlyArray<readonly (keyof SmallCnnRegularizers)[]> = [
  ['dropout', 'gaussianDropout', 'uout', 'alphaDropout'],
  ['dropout2d', 'dropBlock', 'dropoutConv'],
];

function refuseSharedSlot(r: SmallCnnRegularizers): void {
  for (const slot of slots) {
    const given = slot.filter((name) => r[name] !== undefined);
    if (given.length > 1)
      throw new RangeError(`smallCnn: regularizers.${given[0]} and regularizers.${given[1]} share one slot of the model; give one`);
  }
}

/** The classifier's elementwise drop, or null when none is asked for. */
function activationDrop(r: SmallCnnRegularizers): Module | null {
  if (r.dropout !== undefined) return new Dropout(r.dropout);
  if (r.gaussianDropout !== undefined) return new GaussianDropout(r.gaussianDropout);
  if (r.uout !== undefined) return new Uout(r.uout);
  if (r.alphaDropout !== undefined) return new AlphaDropout(r.alphaDropout);
  return null;
}

export function smallCnn(options: SmallCnnOptions = {}): Sequential {
  const r = checkSmallCnnOptions(options);
  const [c1, c2] = options.channels ?? [16, 32];
  const hidden = options.hidden ?? 128;
  const size = options.imageSize ?? 28;
  if (size % 4 !== 0) throw new RangeError(`smallCnn: imageSize must be divisible by 4 (two 2×2 pools), got ${size}`);
  refuseSharedSlot(r);
  const layer = { dtype: options.dtype, generator: options.generator };
  const spatialDrop = (): Module[] => {
    if (r.dropBlock) return [dropBlock2dLayer(r.dropBlock)];
    if (r.dropout2d !== undefined) return [new Dropout2d(r.dropout2d)];
    return r.dropoutConv !== undefined ? [new Dropout(r.dropoutConv)] : [];
  };
  const drop = (): Module[] => {
    const m = activationDrop(r);
    return m ? [m] : [];
  };
  const convStage = (inC: number, outC: number): Module[] => [
    new Conv2d(inC, outC, 3, { padding: 1, bias: false, ...layer }),
    new BatchNorm2d(outC, { dtype: options.dtype }),
    new ReLU(),
    ...spatialDrop(),
    new MaxPool2d(2),
  ];
  const flat = c2 * (size / 4) * (size / 4);
  const hiddenLayer =
    r.dropConnect !== undefined ? new DropConnectLinear(flat, hidden, r.dropConnect, layer) : new Linear(flat, hidden, layer);
  return new Sequential(
    ...convStage(options.inChannels ?? 1, c1),
    ...convStage(c1, c2),
    new Flatten(),
    ...drop(),
    hiddenLayer,
    new ReLU(),
    ...drop(),
    new Linear(hidden, options.numClasses ?? 10, layer),
  );
}
