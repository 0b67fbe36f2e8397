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

/** Each of `actual` holds the same bytes as the matching `expected` array (NaN payloads and −0 included). */
export function expectSameBits(actual: ArrayBufferView[], expected: ArrayBufferView[]): void {
  expect(actual.length, 'number of outputs').to.equal(expected.length);
  actual.forEach((a, i) => {
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bytes(a).equals(bytes(expected[i])), `output ${i} differs`).to.equal(true);
  });
}
