/** Running wasm kernels on a chosen number of threads, and comparing their outputs bit for bit. */
import { expect } from 'chai';
import { getNumThreads, setNumThreads } from '../../kernels/wasm/thread-count';

/** Runs `fn` with `threads` wasm threads, restoring the previous count after. */
export function withThreads<T>(threads: number, fn: () => T): T {
  const previous = getNumThreads();
  setNumThreads(threads);
  try {
    return fn();
  } finally {
    setNumThreads(previous);
  }
}

/**
 * Each of `actual` holds the same bytes as the matching `expected` array (NaN payloads and −0
 * included); a failure names the output (`names[i]`, else its index) and its first differing element.
 */
export function expectSameBits(actual: ArrayBufferView[], expected: ArrayBufferView[], names?: readonly string[]): void {
  expect(actual.length, 'number of outputs').to.equal(expected.length);
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  actual.forEach((a, i) => {
    const [x, y] = [bytes(a), bytes(expected[i])];
    const name = names?.[i] ?? `output ${i}`;
    expect(x.length, `${name}: byte length`).to.equal(y.length);
    const firstByte = x.findIndex((byte, at) => byte !== y[at]);
    const bytesPerElement = (a as ArrayBufferView & { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    expect(firstByte, `${name} differs first at element ${Math.floor(firstByte / bytesPerElement)}`).to.equal(-1);
  });
}
