/**
 * The drop-mask loops in JavaScript (the rules: kernels.ts): every backend's kernels but wasm's,
 * and its fallback. fillWords is the xoshiro128** step as a loop over many words; the generator's
 * single draws (Generator.nextUint32) and the module's (assembly/mask.ts) write the same step, and
 * the specs hold all three to one stream.
 */
import type { MaskKernels } from './kernels';

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The next `count` words of the xoshiro128** stream (Blackman & Vigna) whose four words are in
 * `state`, into out[0 … count), `state` advanced past them. The words are held in locals through the
 * loop, so a mask's million draws cost a few instructions each.
 */
export function fillWords(state: Int32Array, out: Uint32Array, count: number): void {
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  for (let i = 0; i < count; i++) {
    out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** The uniform in [0, 1) that two words give: their top 27 and 26 bits as one 53-bit fraction. */
function uniformFromWords(hi: number, lo: number): number {
  return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
}

/** Draws are made this many at a time into one scratch array of words. */
const chunk = 1024;
const words = new Uint32Array(2 * chunk);

export const jsMask: MaskKernels = {
  bernoulli(state, out, p, hit, miss, start, end) {
    for (let i = start; i < end; ) {
      const count = Math.min(chunk, end - i);
      fillWords(state, words, 2 * count);
      for (let k = 0; k < 2 * count; k += 2, i++) out[i] = uniformFromWords(words[k], words[k + 1]) < p ? hit : miss;
    }
  },

  product(x, mask, run, out) {
    for (let m = 0, i = 0; m < mask.length; m++) {
      const factor = mask[m];
      for (const end = i + run; i < end; i++) out[i] = x[i] * factor;
    }
  },
};
