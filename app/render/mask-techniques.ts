/**
 * The drop techniques as the mask picture shows them (mask-grid.ts): for each, the library's own
 * mask function (or layer) applied to a batch of digits [N,1,H,W] with the given generator, and a
 * label naming the settings. The settings are chosen to be visible on 28×28 digits, not the
 * papers' recommendations (those are in docs/).
 */
import type { Tensor } from '../../lib/tensor';
import type { Generator } from '../../lib/random/generator';
import { ones } from '../../lib/creation';
import { concat } from '../../lib/ops/join';
import { flatten, reshape } from '../../lib/ops/views';
import { narrow, select } from '../../lib/ops/indexing';
import { pad } from '../../lib/ops/pad';
import { dropoutMask } from '../../nn/drop/dropout';
import { dropout2dMask } from '../../nn/drop/dropout2d';
import { dropBlockMask } from '../../nn/drop/dropblock';
import { cutoutMask } from '../../nn/drop/cutout';
import { randomErasingMasks } from '../../nn/drop/random-erasing';
import { gaussianDropoutMask } from '../../nn/drop/gaussian-dropout';
import { uoutMask } from '../../nn/drop/uout';
import { alphaDropoutMask } from '../../nn/drop/alpha-dropout';
import { DropConnectLinear } from '../../nn/drop/drop-connect';
import { dropPathMask, linearSurvival } from '../../nn/drop/drop-path';
import type { MaskRow } from './mask-grid';

export interface MaskTechnique {
  /** The name the CLI accepts, e.g. 'dropblock'. */
  name: string;
  /** The rows this technique contributes, drawn from `generator`. */
  rows(digits: Tensor, generator: Generator): MaskRow[];
}

/** A technique drawing one mask for the digits themselves. */
function oneRow(name: string, label: string, sample: (digits: Tensor, generator: Generator) => Tensor): MaskTechnique {
  return { name, rows: (digits, generator) => [{ label, planes: digits, mask: sample(digits, generator) }] };
}

/** x moved `dx` pixels right and `dy` down, zero-filled (pad one side, crop the other). */
function shifted(x: Tensor, dx: number, dy: number): Tensor {
  return pad(x, [dx, -dx, dy, -dy]);
}

const FEATURE_SHIFTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [4, 0],
  [0, 4],
];
const DROPCONNECT_UNITS = 3;
const DEPTH_BLOCKS = 4;
const DEPTH_LAST_SURVIVAL = 0.5;

export const maskTechniques: readonly MaskTechnique[] = [
  oneRow('none', 'none: the clean digits', (digits) => ones([1, 1, 1, 1], { dtype: digits.dtype })),
  oneRow('dropout', 'dropout p=0.2 (input dropout; kept pixels ×1.25)', (digits, generator) => dropoutMask(digits, 0.2, { generator })),
  {
    // On a single-channel digit Dropout2d can only keep or drop the whole image, which says little;
    // a 3-channel feature map (the digit and two shifted copies) shows it dropping channels
    // independently per sample. One row per channel.
    name: 'dropout2d',
    rows: (digits, generator) => {
      const features = concat(
        FEATURE_SHIFTS.map(([dx, dy]) => shifted(digits, dx, dy)),
        1,
      );
      const mask = dropout2dMask(features, 0.5, { generator });
      return FEATURE_SHIFTS.map(([dx, dy], c) => ({
        label: `dropout2d p=0.5, channel ${c} of ${FEATURE_SHIFTS.length} (the digit shifted ${dx} right, ${dy} down; kept ×2)`,
        planes: narrow(features, 1, c, 1),
        mask: narrow(mask, 1, c, 1),
      }));
    },
  },
  oneRow('dropblock', 'dropblock p=0.15 blockSize=7 (kept ×count/kept)', (digits, generator) =>
    dropBlockMask(digits, 0.15, { blockSize: 7, generator }),
  ),
  oneRow('cutout', 'cutout length=12 holes=1', (digits, generator) => cutoutMask(digits, 12, { holes: 1, generator })),
  // p = 1 so that every digit shows a rectangle (the default, 0.5, leaves about half untouched).
  oneRow(
    'random-erasing',
    'random erasing p=1 scale=[0.02,0.33] ratio=[0.3,3.3] value=0',
    (digits, generator) => randomErasingMasks(digits, 1, { generator }).keep,
  ),
  oneRow('gaussian-dropout', 'gaussian dropout p=0.2 (noise N(1, σ²=0.25))', (digits, generator) =>
    gaussianDropoutMask(digits, 0.2, { generator }),
  ),
  oneRow('uout', 'uout beta=0.5 (noise 1+U(−0.5, 0.5))', (digits, generator) => uoutMask(digits, 0.5, { generator })),
  oneRow('alpha-dropout', "alpha dropout p=0.1 (red: set to SELU's saturation α′, then the affine a·y+b)", (digits, generator) =>
    alphaDropoutMask(digits, 0.1, { generator }),
  ),
  {
    // DropConnect masks weights, not pixels: output unit j sees input pixel i through W'[j,i], so
    // row j shows which pixels unit j sees. One mask per batch, hence the same in every column.
    name: 'dropconnect',
    rows: (digits, generator) => {
      const [, , height, width] = digits.shape;
      const layer = new DropConnectLinear(height * width, DROPCONNECT_UNITS, 0.5, { generator, dtype: digits.dtype });
      layer.forward(flatten(digits, 1));
      const mask = layer.lastMask!; // set by the training-mode forward above
      return Array.from({ length: DROPCONNECT_UNITS }, (_, j) => ({
        label: `dropconnect p=0.5: the inputs output unit ${j} of a Linear(${height * width}, ${DROPCONNECT_UNITS}) sees (weights kept ×2)`,
        planes: digits,
        mask: reshape(select(mask, 0, j), [1, 1, height, width]),
      }));
    },
  },
  {
    // Stochastic depth on a stack of residual blocks: block l's branch survives with the paper's
    // linearly decaying p_l, one draw per sample ('row' mode), so deeper rows lose more digits.
    name: 'stochastic-depth',
    rows: (digits, generator) =>
      Array.from({ length: DEPTH_BLOCKS }, (_, i) => {
        const survival = linearSurvival(i + 1, DEPTH_BLOCKS, DEPTH_LAST_SURVIVAL);
        return {
          label: `stochastic depth, block ${i + 1} of ${DEPTH_BLOCKS}: survival p_l=${survival} (p_L=${DEPTH_LAST_SURVIVAL}), per sample, kept ×1/p_l`,
          planes: digits,
          mask: dropPathMask(digits, 1 - survival, { mode: 'row', generator }),
        };
      }),
  },
];

export const maskTechniqueNames: readonly string[] = maskTechniques.map((t) => t.name);
