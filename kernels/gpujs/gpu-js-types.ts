/**
 * The part of gpu.js' types this backend uses, declared here rather than imported: gpu.js is an
 * optional peer (for development, the opt-in set `npm run setup:gpujs`), so type-checking the
 * project must not need it installed. Its own declarations (node_modules/gpu.js/src/index.d.ts) agree with these.
 */
export type KernelOutput = undefined | number | Float32Array | { toArray(): Float32Array };
export type KernelVariable = KernelOutput | number[] | object;
export type IKernelRunShortcut = (...args: KernelVariable[]) => KernelOutput;

export interface GPU {
  readonly Kernel: { readonly mode: string; readonly name: string };
  createKernel(
    source: string,
    settings: { output: number[]; constants: object; pipeline: boolean; precision: 'single' },
  ): IKernelRunShortcut;
  destroy(): Promise<void>;
}
