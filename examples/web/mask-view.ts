/**
 * Draws digits under a mask on a canvas, eight to a row, and measures the mask. Kept pixels show
 * the masked image (clamped to [0, 1]: inverted dropout scales kept pixels above 1); dropped
 * pixels are tinted, with the digit faintly underneath, so one sees what the network loses.
 */
import type { Tensor } from '../../browser';

const columns = 8;
const zoom = 3;
const dropped: readonly [number, number, number] = [214, 60, 82];

export interface MaskStats {
  /** Share of pixels the mask sets to zero. */
  droppedFraction: number;
  /** Mean of the mask (1 for unbiased techniques; lower for Cutout and random erasing). */
  meanFactor: number;
}

/** Draws `digits` ([N,1,H,W] in [0, 1]) times `mask` (same shape) on `canvas`; returns the mask's stats. */
export function drawMasked(canvas: HTMLCanvasElement, digits: Tensor, mask: Tensor): MaskStats {
  const [count, , height, width] = digits.shape;
  const pixels = digits.contiguousData();
  const factors = mask.contiguousData();
  const rows = Math.ceil(count / columns);
  canvas.width = columns * width * zoom;
  canvas.height = rows * height * zoom;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D canvas context');
  const image = context.createImageData(columns * width, rows * height);
  let zeros = 0;
  let total = 0;
  for (let n = 0; n < count; n++) {
    const left = (n % columns) * width;
    const top = Math.floor(n / columns) * height;
    for (let i = 0; i < height * width; i++) {
      const k = n * height * width + i;
      const at = 4 * ((top + Math.floor(i / width)) * columns * width + left + (i % width));
      total += factors[k];
      if (factors[k] === 0) {
        zeros++;
        for (let c = 0; c < 3; c++) image.data[at + c] = Math.round(dropped[c] * (1 - 0.5 * pixels[k]));
      } else {
        const grey = Math.round(255 * Math.min(1, Math.max(0, pixels[k] * factors[k])));
        image.data.fill(grey, at, at + 3);
      }
      image.data[at + 3] = 255;
    }
  }
  // Drawn at 1:1 on a scratch canvas, then scaled up without smoothing: crisp pixels.
  const scratch = document.createElement('canvas');
  scratch.width = image.width;
  scratch.height = image.height;
  scratch.getContext('2d')?.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  return { droppedFraction: zeros / factors.length, meanFactor: total / factors.length };
}
