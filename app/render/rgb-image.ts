/**
 * A plain 8-bit RGB raster: the one picture type the renderers draw into and the PNG encoder
 * reads. Row-major, three bytes per pixel, no alpha (the mask pictures need none). Browser-safe.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** width·height·3 bytes: R, G, B of pixel (0,0), then (1,0), … row after row. */
  data: Uint8Array;
}

export type Rgb = readonly [number, number, number];

export function createRgbImage(width: number, height: number, background: Rgb): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`createRgbImage: width and height must be positive integers, got ${width}×${height}`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(background, i);
  return { width, height, data };
}

/** Paints the w×h rectangle whose top-left pixel is (left, top); the caller keeps it inside the image. */
export function fillRgbRect(image: RgbImage, left: number, top: number, w: number, h: number, color: Rgb): void {
  for (let y = top; y < top + h; y++) {
    for (let x = left; x < left + w; x++) image.data.set(color, (y * image.width + x) * 3);
  }
}
