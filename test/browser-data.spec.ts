/**
 * Gzipped IDX files in a real browser: the bundle's readIdxAsync in headless Chromium
 * (test/browser/data-checks.ts runs in the page) gunzips with the page's DecompressionStream and
 * must give the same arrays as Node's path (zlib's gunzip, then readIdx).
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import type { DataChecks, IdxReadResult } from './browser/data-checks';
import { readIdx } from '../app/data/idx';
import { idxBytes } from './helpers/data-files';
import { useChromiumPage } from './helpers/chromium-page';

describe('in headless Chromium, reading IDX data', function () {
  this.timeout(120000);
  const chromium = useChromiumPage(
    { root: join(__dirname, 'browser'), scripts: [join(__dirname, 'browser/data-checks.ts')] },
    '/data-checks.html',
    (page) => page.waitForFunction('window.dropgradDataChecks !== undefined'),
  );

  function readInPage(bytes: Uint8Array, source: string): Promise<IdxReadResult> {
    const args: Parameters<DataChecks['readIdxBytes']> = [Array.from(bytes), source];
    return chromium.page.evaluate<IdxReadResult>(`window.dropgradDataChecks.readIdxBytes(...${JSON.stringify(args)})`);
  }

  /** What Node reads from the same bytes: zlib's gunzip, then readIdx. */
  function readInNode(gzipped: Uint8Array): IdxReadResult {
    const { shape, data } = readIdx(gunzipSync(gzipped));
    return { shape, type: data.constructor.name, data: Array.from(data) };
  }

  it('has the built-in DecompressionStream the gzip path relies on', async () => {
    expect(await chromium.page.evaluate('window.dropgradDataChecks.hasDecompressionStream()')).to.equal(true);
  });

  it('gunzips gzipped IDX with DecompressionStream: the same arrays as Node reads with zlib', async () => {
    // A 4×28×28 block of images like MNIST's (uint8), and big-endian int16 values (byte order matters).
    const images = idxBytes(
      0x08,
      [4, 28, 28],
      Array.from({ length: 4 * 784 }, (_, i) => (i * 37 + (i >> 5)) % 256),
    );
    const shorts = idxBytes(0x0b, [3, 2], [-32768, -1, 0, 1, 258, 32767]);
    for (const [name, plain] of [
      ['images', images],
      ['int16', shorts],
    ] as const) {
      const gzipped = gzipSync(plain);
      const inPage = await readInPage(gzipped, `${name}.gz`);
      expect(inPage, name).to.deep.equal(readInNode(gzipped));
      // Plain bytes pass through untouched.
      expect(await readInPage(plain, name), name).to.deep.equal(inPage);
    }
    expect(readInNode(gzipSync(shorts))).to.deep.include({ shape: [3, 2], type: 'Int16Array', data: [-32768, -1, 0, 1, 258, 32767] });
  });

  it('names the source when gzip data does not decompress', async () => {
    const truncated = gzipSync(idxBytes(0x08, [64], new Array(64).fill(7))).subarray(0, 20);
    const result = await readInPage(truncated, 'labels.gz');
    expect(result)
      .to.have.property('error')
      .that.matches(/^gunzipIfGzip: labels\.gz starts like gzip but does not decompress: /);
  });
});
