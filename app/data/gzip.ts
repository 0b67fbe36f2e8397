/**
 * gzip detection and decompression without Node built-ins, so that a browser page can read the
 * gzipped IDX files that MNIST's downloads and Debian's dataset packages hold. Decompression uses
 * the platform's DecompressionStream (every current browser, Node ≥ 18); in Node,
 * app/data/data-file-content.ts uses zlib's synchronous gunzip instead, bounded by what the IDX header
 * declares (app/data/gunzip-bounded.ts).
 */

/** Whether `bytes` start with gzip's magic number 0x1F 0x8B (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * `bytes` gunzipped when they are gzip data, otherwise `bytes` themselves. `source` (a file name,
 * a URL) names the data in error messages.
 */
export async function gunzipIfGzip(bytes: Uint8Array, source = 'the data'): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  if (typeof DecompressionStream !== 'function') {
    throw new Error(`gunzipIfGzip: ${source} is gzip-compressed and this platform has no DecompressionStream to decompress it`);
  }
  try {
    // A copy into a fresh buffer: Blob takes ArrayBuffer-backed views only, and `bytes` may view a SharedArrayBuffer.
    const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`gunzipIfGzip: ${source} starts like gzip but does not decompress: ${message(error)}`);
  }
}
