import { checkInteger } from '../validate';
import { formatValue } from '../../base/shape';
import type { TypedArray } from '../../base/dtype';
import { maskKernels } from '../../kernels/mask';

/**
 * Seeded randomness. One Generator type drives every mask in dropgrad, so a run is reproducible
 * from its seed and a gradient check can replay a stochastic layer with the same mask.
 *
 * The stream is xoshiro128** (Blackman & Vigna), seeded through splitmix32. It uses only 32-bit
 * integer arithmetic (Math.imul, >>>), so the same seed gives the same numbers on every platform.
 */
export class Generator {
  /** The stream's four words, as the kernels that advance it take them (kernels/mask). */
  private readonly state = new Int32Array(4);
  private spareNormal: number | null = null;
  private seedValue = 0;

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
    for (let i = 0; i < 4; i++) this.state[i] = splitmix32();
    this.spareNormal = null;
    return this;
  }

  /** The seed this generator was last seeded with. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** The full state, to checkpoint and later resume a stream exactly (the words as signed 32-bit integers). */
  getState(): number[] {
    return [...this.state, this.seedValue, this.spareNormal ?? NaN];
  }

  setState(state: readonly (number | null)[]): this {
    if (!isGeneratorState(state)) {
      throw new RangeError(`setState: expected ${generatorStateDescription} (from getState()), got ${JSON.stringify(state)}`);
    }
    this.state.set(state.slice(0, 4) as number[]);
    this.seedValue = state[4] as number;
    this.spareNormal = state[5] === null || Number.isNaN(state[5]) ? null : state[5];
    return this;
  }

  /**
   * The next 32 random bits as an unsigned integer. The step is kernels/mask/js.ts' fillWords
   * written out again: a single draw is a few nanoseconds, and a call into another module costs
   * twice that when the sources run through a per-file transpiler (tsx: 12 against 33 ns a draw,
   * 81 against 193 ns a normal). The specs hold the two to the same stream (test/generator.spec.ts).
   */
  nextUint32(): number {
    if (recorders.length > 0) this.recordDraw();
    const state = this.state;
    let s0 = state[0];
    let s1 = state[1];
    let s2 = state[2];
    let s3 = state[3];
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits: the top 27 and 26 bits of two words (kernels/mask/js.ts' uniformFromWords). */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * out[i] = (random() < p ? hit : miss) for i in [start, end), drawn in that order: the same
   * numbers as that loop, drawn by the backend's mask kernel (kernels/mask; a feature map's keep mask
   * is a million draws per step).
   */
  fillBernoulli(out: TypedArray | Uint8Array, p: number, hit: number, miss: number, start = 0, end = out.length): void {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`fillBernoulli: p must be a probability in [0, 1], got ${formatValue(p)}`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > out.length) {
      throw new RangeError(
        `fillBernoulli: expected integers 0 <= start <= end <= ${out.length} (out's length), got start ${formatValue(start)}, end ${formatValue(end)}`,
      );
    }
    if (start === end) return;
    if (recorders.length > 0) this.recordDraw();
    maskKernels().bernoulli(this.state, out, p, hit, miss, start, end);
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

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
