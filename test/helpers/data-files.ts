/** Builders of small dataset files for the data specs, and a per-test temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mnistNormalization } from '../../app/data/dataset';

/** Element types of IDX by code, with their big-endian writers. */
const idxWriters: Record<number, { bytes: number; set: (v: DataView, at: number, value: number) => void }> = {
  8: { bytes: 1, set: (v, at, x) => v.setUint8(at, x) },
  9: { bytes: 1, set: (v, at, x) => v.setInt8(at, x) },
  11: { bytes: 2, set: (v, at, x) => v.setInt16(at, x) },
  12: { bytes: 4, set: (v, at, x) => v.setInt32(at, x) },
  13: { bytes: 4, set: (v, at, x) => v.setFloat32(at, x) },
  14: { bytes: 8, set: (v, at, x) => v.setFloat64(at, x) },
};

/** An IDX file written from the format description: magic, big-endian dims, big-endian data. */
export function idxBytes(type: number, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const { bytes, set } = idxWriters[type];
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * bytes);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  for (let i = 0; i < values.length; i++) set(view, header + i * bytes, values[i]);
  return out;
}

/**
 * One split of `count` images of side `side` with labels `label(i)` as IDX files in `dir`, returned
 * as the flags that name them (--train-images FILE --train-labels FILE, or --test-…).
 */
export function writeIdxSplit(dir: string, split: 'train' | 'test', count: number, side: number, label: (i: number) => number): string[] {
  const images = join(dir, `${split}-images`);
  const labels = join(dir, `${split}-labels`);
  writeFileSync(
    images,
    idxBytes(
      0x08,
      [count, side, side],
      Array.from({ length: count * side * side }, (_, i) => (i * 37) % 256),
    ),
  );
  writeFileSync(
    labels,
    idxBytes(
      0x08,
      [count],
      Array.from({ length: count }, (_, i) => label(i)),
    ),
  );
  return [`--${split}-images`, images, `--${split}-labels`, labels];
}

/**
 * A directory laid out as MNIST's downloads and Debian's dataset packages are: the four IDX files,
 * gzipped, with `count` 28×28 images per split whose labels cycle through 0–9.
 */
export function writeMnistLayout(dir: string, count: number): string {
  for (const prefix of ['train', 't10k']) {
    const pixels = Array.from({ length: count * 784 }, (_, i) => (i * 37) % 256);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(idxBytes(0x08, [count, 28, 28], pixels)));
    writeFileSync(
      join(dir, `${prefix}-labels-idx1-ubyte.gz`),
      gzipSync(
        idxBytes(
          0x08,
          [count],
          Array.from({ length: count }, (_, i) => i % 10),
        ),
      ),
    );
  }
  return dir;
}

/** CIFAR-10 records: image i has label labels[i] and every pixel of channel c equal to fill(i, c). */
export function cifarBytes(labels: readonly number[], fill: (image: number, channel: number) => number): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, i) => {
    out[i * 3073] = label;
    for (let c = 0; c < 3; c++) out.fill(fill(i, c), i * 3073 + 1 + c * 1024, i * 3073 + 1 + (c + 1) * 1024);
  });
  return out;
}

/** A fresh temporary directory for each test of the calling suite; returns its getter. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dropgrad-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** The repository's copy of MNIST: the four IDX files, gzipped (data/mnist/README.md). */
export const mnistDir = join(__dirname, '..', '..', 'data', 'mnist');

/**
 * One split of `count` 28×28 images as IDX files in `dir` whose first two pixels spell the image's
 * index (k mod 256, ⌊k/256⌋) and whose labels are k mod 10; returned as the flags that name them.
 * imageIndexOf reads the index back from a loaded (normalised) dataset.
 */
export function writeIndexedIdxSplit(dir: string, split: 'train' | 'test', count: number): string[] {
  const images = join(dir, `${split}-images`);
  const labels = join(dir, `${split}-labels`);
  const pixels = new Uint8Array(count * 784);
  for (let k = 0; k < count; k++) {
    pixels.set([k % 256, Math.floor(k / 256)], k * 784);
    for (let p = 2; p < 784; p++) pixels[k * 784 + p] = ((k % 10) * 25 + p) % 256;
  }
  writeFileSync(images, idxBytes(0x08, [count, 28, 28], pixels));
  writeFileSync(
    labels,
    idxBytes(
      0x08,
      [count],
      Array.from({ length: count }, (_, k) => k % 10),
    ),
  );
  return [`--${split}-images`, images, `--${split}-labels`, labels];
}

/** The index writeIndexedIdxSplit spelt into image `row` of `images` (normalised with MNIST's statistics). */
export function imageIndexOf(images: Float32Array, row: number): number {
  const { mean, std } = mnistNormalization as { mean: number; std: number };
  // max(0, …) turns a rounded −0 into 0.
  const pixel = (i: number): number => Math.max(0, Math.round((images[row * 784 + i] * std + mean) * 255));
  return pixel(0) + 256 * pixel(1);
}
