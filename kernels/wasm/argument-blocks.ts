/**
 * Every wasm kernel and its argument block, declared once. A kernel is exported by
 * kernels/wasm/assembly/index.ts as (args, share, shares, thread) => void, where `args` points at an
 * array of i32 slots (sizes, and addresses as unsigned 32-bit values) whose names are listed here
 * in order. The host writes a block by name (CallFrame.args); `npm run build:wasm` generates, from
 * this table, kernels/wasm/assembly/slots.ts, the constants the AssemblyScript side reads the slots
 * by (scripts/wasm-build-inputs.ts), so host and module cannot disagree on where an argument is.
 *
 * A family's `shared` slots come first, at the same numbers in each of its kernels, so the code its
 * kernels share reads them under one name (CONV2D_IN_C); a kernel's own slots follow
 * (CONV2D_FORWARD_BIAS). Adding an argument is a name here and its use on each side.
 */
export const wasmKernelFamilies = {
  conv2d: {
    shared: [
      ...['n', 'inC', 'h', 'w', 'outC', 'kH', 'kW', 'strideH', 'strideW', 'padTop', 'padLeft'],
      ...['dilationH', 'dilationW', 'groups', 'outH', 'outW'],
      // Each thread's workspace: the gemm panels and one column matrix, workspaceStride bytes apart.
      ...['workspace', 'workspaceStride'],
    ],
    kernels: {
      // bias 0: none; relu and maxPool2x2 1: the epilogue (kernels/conv2d/epilogue.ts), out then ⌊outH/2⌋ × ⌊outW/2⌋
      conv2dForward: ['x', 'weight', 'bias', 'relu', 'maxPool2x2', 'out'],
      conv2dBackwardInput: ['dy', 'weight', 'dx'],
      conv2dWeightPartials: ['dy', 'x', 'partials'], // one weight-sized partial per image
    },
  },
  reduceImages: { shared: [], kernels: { reduceImages: ['count', 'images', 'partials', 'out'] } },
  gemm: {
    shared: [],
    kernels: {
      gemm: [...['m', 'n', 'k', 'a', 'lda', 'transA', 'b', 'ldb', 'transB', 'c', 'ldc', 'accumulate'], ...['workspace', 'workspaceStride']],
    },
  },
  maxPool2d: {
    shared: ['planes', 'inH', 'inW', 'outH', 'outW', 'kH', 'kW', 'sH', 'sW', 'pH', 'pW', 'dH', 'dW'],
    kernels: { maxPool2dForward: ['x', 'out', 'argmax'], maxPool2dBackward: ['dy', 'argmax', 'dx'] },
  },
  // The windows travel as tables, rows then columns: start and end i32, divisor f64.
  avgPool2d: {
    shared: ['planes', 'inH', 'inW', 'outH', 'outW', 'rowStart', 'rowEnd', 'rowDivisor', 'colStart', 'colEnd', 'colDivisor'],
    kernels: { avgPool2dForward: ['x', 'out'], avgPool2dBackward: ['dy', 'dx'] },
  },
  // Per-channel vectors (mean, scale, …) are float64; x, y, dy, dx float32.
  batchNorm: {
    shared: ['batch', 'channels', 'spatial'],
    kernels: {
      batchNormChannelSums: ['x', 'sums'],
      batchNormMoments: ['x', 'mean', 'variance'],
      batchNormNormalize: ['x', 'mean', 'scale', 'shift', 'y'],
      batchNormGradientSums: ['dy', 'x', 'mean', 'sumDy', 'sumDyCentered'],
      batchNormInputGradient: ['dy', 'x', 'mean', 'gain', 'offset', 'slope', 'dx'],
      batchNormTrainingForward: ['x', 'gamma', 'beta', 'eps', 'mean', 'variance', 'invStd', 'y'],
      batchNormTrainingBackward: ['dy', 'x', 'mean', 'invStd', 'gamma', 'sumDy', 'sumDyCentered', 'dx'],
    },
  },
  // One Adam step over `count` parameters: `table` holds five i32 per parameter (the addresses of
  // its values, gradient, exp_avg and exp_avg_sq, all float32, then its length), `factors` the
  // float64 constants of the step (kernels/adam/kernels.ts, AdamFactors, in that order).
  adam: { shared: [], kernels: { adamStep: ['count', 'table', 'factors'] } },
  // relu's forward and backward over `count` float32 values (kernels/relu/kernels.ts).
  relu: { shared: ['count'], kernels: { reluForward: ['x', 'out'], reluBackward: ['dy', 'y', 'dx'] } },
  // The drop masks (kernels/mask/kernels.ts), `count` float32 values out: bernoulliMask's `state` is
  // the stream's four i32 words (written back) and `constants` [p, hit, miss] in float64;
  // maskProduct's mask has count / run values, each over `run` consecutive values of x.
  mask: { shared: ['count'], kernels: { bernoulliMask: ['state', 'constants', 'out'], maskProduct: ['run', 'x', 'mask', 'out'] } },
} as const;

type Families = typeof wasmKernelFamilies;
type KernelsOf<F extends keyof Families> = Families[F]['kernels'];

export type KernelName = { [F in keyof Families]: keyof KernelsOf<F> & string }[keyof Families];

type FamilyOf<K extends KernelName> = { [F in keyof Families]: K extends keyof KernelsOf<F> ? F : never }[keyof Families];

type Names<L> = L extends readonly (infer S extends string)[] ? S : never;

/** The slot names of kernel K: its family's shared ones and its own. */
export type SlotName<K extends KernelName> =
  | Names<Families[FamilyOf<K>]['shared']>
  | Names<KernelsOf<FamilyOf<K>>[K & keyof KernelsOf<FamilyOf<K>>]>;

/** The slots family F's kernels share, by name. */
export type SharedBlock<F extends keyof Families> = Readonly<Record<Names<Families[F]['shared']>, number>>;

/** Kernel K's arguments by name: every slot, sizes and addresses. */
export type ArgumentBlock<K extends KernelName> = Readonly<Record<SlotName<K>, number>>;

/** What a family declares, read without its literal types. */
export interface FamilyDeclaration {
  readonly shared: readonly string[];
  readonly kernels: Readonly<Record<string, readonly string[]>>;
}
const families: Readonly<Record<string, FamilyDeclaration>> = wasmKernelFamilies;

/** Every kernel's slot names in block order. */
const kernelSlots: ReadonlyMap<KernelName, readonly string[]> = new Map(
  Object.values(families).flatMap(({ shared, kernels }) =>
    Object.entries(kernels).map(([name, own]) => [name as KernelName, [...shared, ...own]] as const),
  ),
);

/** Kernel `kernel`'s slot names in block order. */
export function slotNames(kernel: KernelName): readonly string[] {
  const names = kernelSlots.get(kernel);
  if (!names) throw new RangeError(`wasm kernels: no kernel ${JSON.stringify(kernel)} is declared`);
  return names;
}

/** The kernels; a worker thread is told which one to run by its index here. */
export const kernelNames: readonly KernelName[] = [...kernelSlots.keys()];
