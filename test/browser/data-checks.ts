/**
 * The page script of test/browser-data.spec.ts: reads IDX bytes (gzipped or not) handed over by
 * the spec with the browser bundle's readIdxAsync, which gunzips with the page's own
 * DecompressionStream, and returns plain data for the spec to compare with Node's zlib path.
 */
import { readIdxAsync } from '../../browser';

export type IdxReadResult = { shape: number[]; type: string; data: number[] } | { error: string };

async function readIdxBytes(bytes: number[], source: string): Promise<IdxReadResult> {
  try {
    const { shape, data } = await readIdxAsync(Uint8Array.from(bytes), source);
    return { shape, type: data.constructor.name, data: Array.from(data) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const checks = { readIdxBytes, hasDecompressionStream: (): boolean => typeof DecompressionStream === 'function' };
export type DataChecks = typeof checks;
(globalThis as { dropgradDataChecks?: DataChecks }).dropgradDataChecks = checks;
