/**
 * Node-only: gzip decompression that stops where the caller needs it to, so that a small .gz
 * holding gigabytes of zeros (a gzip bomb) or a big data set read for its first images is never
 * inflated in full. zlib's synchronous API inflates a whole buffer at a time, so:
 *
 * - gunzipAtMost inflates everything but stops as soon as the output passes a bound
 *   (zlib's maxOutputLength), checking the gzip trailer (CRC, length) when it gets to the end;
 * - gunzipPrefix inflates ever longer prefixes of the compressed bytes (a cut stream decodes as far
 *   as it goes with Z_SYNC_FLUSH) until the output holds what is asked. The output of each try is
 *   capped at twice what is asked: a try that passes the cap is retried on a shorter prefix.
 *   Nothing past the prefix is checked (no CRC): that is the price of not reading the rest.
 */
import { constants, gunzipSync } from 'node:zlib';

/**
 * The zlib options the bounded reads pass. Declared here rather than taken from node:zlib so that
 * the package's public types need no @types/node in a consumer's project.
 */
export interface GunzipOptions {
  /** zlib's finishFlush: Z_SYNC_FLUSH lets a cut stream decode as far as it goes. */
  finishFlush?: number;
  /** Stop (ERR_BUFFER_TOO_LARGE) once the output would pass this many bytes. */
  maxOutputLength: number;
}

/** Decompresses gzip data (node:zlib's gunzipSync); replaceable, e.g. to count the bytes inflated. */
export type Gunzip = (compressed: Uint8Array, options: GunzipOptions) => Uint8Array;

const isTooLarge = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';

/** All of `compressed` inflated, or undefined as soon as the output passes `maxLength` bytes. */
export function gunzipAtMost(compressed: Uint8Array, maxLength: number, gunzip: Gunzip = gunzipSync): Uint8Array | undefined {
  try {
    return gunzip(compressed, { maxOutputLength: Math.max(1, maxLength) });
  } catch (error) {
    if (isTooLarge(error)) return undefined;
    throw error;
  }
}

/** The first `length` bytes `compressed` inflates to (fewer when it inflates to fewer). */
export function gunzipPrefix(compressed: Uint8Array, length: number, gunzip: Gunzip = gunzipSync): Uint8Array {
  const options = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 * length + 16384 };
  // Compressed lengths known to inflate to fewer than `length` bytes (short) and past the cap (long).
  let short = 0;
  let long = Number.POSITIVE_INFINITY;
  // A compressed byte inflates to at most 1032 (RFC 1951: a 258-byte match in two bits): a first
  // try this long cannot pass the cap, nor take long on incompressible data.
  let take = Math.min(compressed.length, Math.max(64, Math.ceil(length / 1032)));
  for (;;) {
    try {
      const out = gunzip(compressed.subarray(0, take), options);
      if (out.length >= length || take === compressed.length) return out.subarray(0, length);
      short = take;
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      long = take;
    }
    // Doubling until a try is long enough, then halving the gap to the shortest too-long one.
    take = long === Number.POSITIVE_INFINITY ? Math.min(compressed.length, 2 * take) : Math.floor((short + long) / 2);
    if (take === short) throw new Error(`gunzipPrefix: cannot inflate the first ${length} bytes within ${options.maxOutputLength}`);
  }
}
