/**
 * A zlib stream (RFC 1950) whose deflate data (RFC 1951) is made of *stored* blocks: the bytes
 * verbatim, uncompressed. Every inflater reads it, it needs no compression library (so the PNG
 * encoder runs in a browser as in Node), and it is a few lines we can check by eye. The price is
 * size: the output is the input plus 5 bytes per 64 KiB block and 6 bytes of framing.
 */

/** Largest payload of one stored block: its length field is 16 bits. */
const MAX_STORED_BLOCK = 0xffff;

/** zlib's checksum of the uncompressed data (RFC 1950 §8.2). */
export function adler32(bytes: Uint8Array): number {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  // Taking the modulo once per 5552 bytes (zlib's NMAX, the most for which b stays below 2^32)
  // instead of once per byte: the sums stay exact small integers either way.
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** `data` wrapped as a zlib stream of stored deflate blocks (at least one, even for no data). */
export function zlibStore(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no preset dictionary, "fastest" level, and
  // the check bits that make (CMF·256 + FLG) a multiple of 31.
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let block = 0; block < blocks; block++) {
    const start = block * MAX_STORED_BLOCK;
    const length = Math.min(MAX_STORED_BLOCK, data.length - start);
    // Block header: BFINAL in bit 0, BTYPE = 00 (stored) in bits 1–2; the rest of the byte is
    // padding up to the byte boundary, where LEN and its one's complement NLEN follow (little-endian).
    out[at] = block === blocks - 1 ? 1 : 0;
    view.setUint16(at + 1, length, true);
    view.setUint16(at + 3, ~length & 0xffff, true);
    out.set(data.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  view.setUint32(at, adler32(data)); // big-endian, as zlib wants
  return out;
}
