/**
 * The mask picture: a grid with one row per mask (a technique, or one channel / unit / block of
 * it) and one column per image. A cell shows the image in gray with the mask applied:
 *
 *   kept unit (mask m ≠ 0):  gray level v·m, so a technique's scaling (1/(1−p), count/kept) and
 *                            multiplicative noise (Gaussian, Uout) show as brightness changes;
 *   dropped unit (m = 0):    red, dark where the image was background and bright where it was
 *                            ink, so a dropped background pixel is not mistaken for a kept one.
 *
 * Browser-safe: it takes tensors and returns an RgbImage (encode it with png.ts).
 */
import type { Tensor } from '../../lib/tensor';
import { formatShape } from '../../base/shape';
import { expand } from '../../lib/ops/views';
import { Generator } from '../../lib/random/generator';
import { type Rgb, type RgbImage, createRgbImage, fillRgbRect } from './rgb-image';
import type { MaskTechnique } from './mask-techniques';

export interface MaskRow {
  /** What the row shows, e.g. 'dropout p=0.2' (the image has no text; callers print a legend). */
  label: string;
  /** The gray images shown, [N,1,H,W] with values in [0, 1]. */
  planes: Tensor;
  /** The mask, broadcastable to `planes`: 0 where a unit is dropped, else the factor it is multiplied by. */
  mask: Tensor;
}

export interface MaskGridLayout {
  /** Screen pixels per image pixel (default 4). */
  scale?: number;
  /** Pixels between cells and around the grid (default 2). */
  gutter?: number;
}

export interface MaskGridOptions extends MaskGridLayout {
  /** Seed of the generator every technique's masks are drawn from (default 0). */
  seed?: number;
}

/**
 * v·m up to this value maps to the brightest gray. Above 1 so that a clean digit (m = 1) is a
 * light gray and gains above 1 — inverted scaling, noise — stay visible instead of clipping.
 */
const HEADROOM = 1.5;
/**
 * Levels of the gray and red ramps. Quantised so that a picture has at most 64 + 32 + 1 colours
 * and png.ts can write it as indexed colour, a third of the size of RGB; the eye cannot tell.
 */
const GRAY_LEVELS = 64;
const RED_LEVELS = 32;
const GUTTER: Rgb = [200, 200, 205];
const DROPPED_BACKGROUND: Rgb = [110, 0, 0];
const DROPPED_INK: Rgb = [255, 80, 80];

/** t clipped to [0, 1] and rounded to one of `levels` evenly spaced values. */
function quantise(t: number, levels: number): number {
  return Math.round(Math.min(1, Math.max(0, t)) * (levels - 1)) / (levels - 1);
}

/** The colour of one pixel of gray level v ∈ [0, 1] under mask value m. */
export function maskedPixelColor(v: number, m: number): Rgb {
  if (m === 0) {
    const t = quantise(v, RED_LEVELS);
    const mix = (i: number): number => Math.round(DROPPED_BACKGROUND[i] + (DROPPED_INK[i] - DROPPED_BACKGROUND[i]) * t);
    return [mix(0), mix(1), mix(2)];
  }
  // A negative m (Gaussian noise can draw one) flips the sign; it shows as black, like zero ink.
  const gray = Math.round(255 * quantise((v * m) / HEADROOM, GRAY_LEVELS));
  return [gray, gray, gray];
}

function checkRows(rows: readonly MaskRow[]): { count: number; height: number; width: number } {
  if (rows.length === 0) throw new RangeError('renderMaskRows: no rows to draw');
  const [count, , height, width] = rows[0].planes.shape;
  for (const row of rows) {
    const shape = row.planes.shape;
    if (shape.length !== 4 || shape[1] !== 1 || shape[0] !== count || shape[2] !== height || shape[3] !== width) {
      throw new RangeError(
        `renderMaskRows: every row's planes must be [N,1,H,W] of one shape; row ${JSON.stringify(row.label)} has ${formatShape(shape)}, the first ${formatShape(rows[0].planes.shape)}`,
      );
    }
  }
  return { count, height, width };
}

/** Draws `rows` as a grid of cells (row r, column n: image n of row r under its mask). */
export function renderMaskRows(rows: readonly MaskRow[], layout: MaskGridLayout = {}): RgbImage {
  const { scale = 4, gutter = 2 } = layout;
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`renderMaskRows: scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(gutter) || gutter < 0) throw new RangeError(`renderMaskRows: gutter must be an integer ≥ 0, got ${gutter}`);
  const { count, height, width } = checkRows(rows);
  const [cellW, cellH] = [width * scale, height * scale];
  const image = createRgbImage(gutter + count * (cellW + gutter), gutter + rows.length * (cellH + gutter), GUTTER);
  rows.forEach((row, r) => {
    const values = row.planes.contiguousData();
    const gains = expand(row.mask, row.planes.shape).contiguousData();
    for (let n = 0; n < count; n++) {
      const [left, top] = [gutter + n * (cellW + gutter), gutter + r * (cellH + gutter)];
      for (let i = 0; i < height * width; i++) {
        const at = n * height * width + i;
        const color = maskedPixelColor(values[at], gains[at]);
        fillRgbRect(image, left + (i % width) * scale, top + Math.floor(i / width) * scale, scale, scale, color);
      }
    }
  });
  return image;
}

/**
 * The rows of `techniques` on `digits` ([N,1,H,W] in [0, 1]) and their picture. Each technique
 * draws from its own `new Generator(seed)`, so a technique's row is the same whether it is drawn
 * alone or among others — `--technique dropout` matches the dropout row of `--technique all`.
 */
export function renderMaskGrid(
  digits: Tensor,
  techniques: readonly MaskTechnique[],
  options: MaskGridOptions = {},
): { image: RgbImage; rows: MaskRow[] } {
  const seed = options.seed ?? 0;
  const rows = techniques.flatMap((technique) => technique.rows(digits, new Generator(seed)));
  return { image: renderMaskRows(rows, options), rows };
}
