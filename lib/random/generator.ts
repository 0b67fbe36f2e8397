import { checkInteger } from '../validate';
import { formatValue } from '../../base/shape';
import type { TypedArray } from '../../base/dtype';

/**
 * Seeded randomness. One Generator type drives every mask in dropgrad, so a run is reproducible
 * from its seed and a gradient check can replay a stochastic layer with the same mask.
 *
 * The stream is xoshiro128** (Blackman & Vigna), seeded through splitmix32. It uses only 32-bit
 * integer arithmetic (Math.imul, >>>), so the same seed gives the same numbers on every platform.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;
  private seedValue = 0;
  /** Scratch for the draws of nextUint32 and fillBernoulli (never read across calls). */
  private readonly word = new Uint32Array(1);
  private readonly words = new Uint32Array(2 * 1024);

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (an integer; only its low 32 bits and sign matter). */
  manualSeed(seed: number): this {
    checkInteger('manualSeed', 'seed', seed);
    this.seedValue = seed;
    let x = seed >>> 0;
    const splitmix32 = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    this.spareNormal = null;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The full state, to checkpoint and later resume a stream exactly. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.seedValue, this.spareNormal ?? NaN];
  }

  setState(state: readonly (number | null)[]): this {
    if (!isGeneratorState(state)) {
      throw new RangeError(`setState: expected ${generatorStateDescription} (from getState()), got ${JSON.stringify(state)}`);
    }
    [this.s0, this.s1, this.s2, this.s3, this.seedValue] = state as number[];
    this.spareNormal = state[5] === null || Number.isNaN(state[5]) ? null : state[5];
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    this.fillUint32(this.word, 1);
    return this.word[0];
  }

  /**
   * The next `count` words of the stream into out[0 … count): the one place the xoshiro128** step
   * is written. The state is held in locals through the loop, so a mask's millions of draws per
   * step cost a few instructions each.
   */
  private fillUint32(out: Uint32Array, count: number): void {
    if (count === 0) return;
    if (recorders.length > 0) this.recordDraw();
    let s0 = this.s0 | 0; // int32 from the first iteration on, so the loop never leaves integer registers
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
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
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    return uniformFromWords(this.nextUint32(), this.nextUint32());
  }

  /**
   * out[i] = (random() < p ? hit : miss) for i in [start, end), drawn in that order: the same
   * numbers as that loop, at the speed of the word loop above (a feature map's keep mask is a
   * million draws per step).
   */
  fillBernoulli(out: TypedArray | Uint8Array, p: number, hit: number, miss: number, start = 0, end = out.length): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`fillBernoulli: p must be a probability in [0, 1], got ${formatValue(p)}`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > out.length) {
      throw new RangeError(
        `fillBernoulli: expected integers 0 <= start <= end <= ${out.length} (out's length), got start ${formatValue(start)}, end ${formatValue(end)}`,
      );
    }
    const words = this.words;
    for (let i = start; i < end; ) {
      const count = Math.min(words.length / 2, end - i);
      this.fillUint32(words, 2 * count);
      for (let k = 0; k < 2 * count; k += 2, i++) out[i] = uniformFromWords(words[k], words[k + 1]) < p ? hit : miss;
    }
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Standard normal by the Box–Muller transform (both values of each pair are used). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      if (recorders.length > 0) this.recordDraw();
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    const u1 = 1 - this.random(); // (0, 1]: log stays finite
    const u2 = this.random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return mean + std * radius * Math.cos(2 * Math.PI * u2);
  }

  /** 1 with probability p, else 0. */
  bernoulli(p: number): number {
    return this.random() < p ? 1 : 0;
  }

  /** Notes this generator's state before its first draw in each open recordDraws scope. */
  private recordDraw(): void {
    for (const states of recorders) if (!states.has(this)) states.set(this, this.getState());
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }
}

/** The open recordDraws scopes, innermost last; every generator drawn from is noted in each. */
const recorders: Array<Map<Generator, number[]>> = [];

/** The state every generator had before it was first drawn from inside a recordDraws scope. */
export type DrawStates = ReadonlyMap<Generator, readonly number[]>;

/**
 * Runs `fn` and returns what it returned together with the state each Generator had just before
 * fn's first draw from it — whichever generators those are (the default one, a layer's own, one
 * made inside fn). replayDraws(states) then puts them all back, so fn draws the same numbers again:
 * this is how gradcheck replays a stochastic function's masks.
 */
export function recordDraws<T>(fn: () => T): { result: T; states: DrawStates } {
  const states = new Map<Generator, number[]>();
  recorders.push(states);
  try {
    return { result: fn(), states };
  } finally {
    recorders.splice(recorders.lastIndexOf(states), 1);
  }
}

/** Restores every generator in `states` to its recorded state. */
export function replayDraws(states: DrawStates): void {
  for (const [generator, state] of states) generator.setState(state);
}

export const generatorStateDescription = 'a generator state [4 32-bit integers not all 0, the integer seed, a number, NaN or null]';

/**
 * A Generator.getState(): four xoshiro128** words (32-bit integers, not all zero — the all-zero
 * state is the generator's fixed point, it would return 0 forever), the seed, and the spare normal
 * (NaN — or null, as JSON stores NaN — when there is none).
 */
export function isGeneratorState(state: unknown): state is Array<number | null> {
  if (!Array.isArray(state) || state.length !== 6) return false;
  const words = state.slice(0, 4);
  const isWord = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) <= 2 ** 32 - 1;
  return (
    words.every(isWord) &&
    !words.every((w) => w === 0) &&
    Number.isSafeInteger(state[4]) &&
    (state[5] === null || Number.isFinite(state[5]) || Number.isNaN(state[5]))
  );
}

/** The uniform in [0, 1) that two words give: their top 27 and 26 bits as one 53-bit fraction. */
function uniformFromWords(hi: number, lo: number): number {
  return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when an op is not given one. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator (PyTorch's `torch.manual_seed`). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * The generator a `generator` option names, one rule for every function and layer: null and
 * undefined mean the default generator (as PyTorch's generator=None); anything else that is not a
 * Generator is refused here, before any draw, instead of failing mid-draw with an engine message.
 */
export function generatorOf(where: string, generator: Generator | null | undefined): Generator {
  if (generator === null || generator === undefined) return defaultGenerator;
  if (!(generator instanceof Generator)) throw new TypeError(`${where}: generator must be a Generator, got ${formatValue(generator)}`);
  return generator;
}
