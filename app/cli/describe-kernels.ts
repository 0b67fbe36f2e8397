/** What `train` says about the kernels a run gets: the backend, its threads, and a warning when that is not what was asked for. */
import type { DType } from '../../base/dtype';
import { gpuJsStatus } from '../../kernels/gpujs/context';
import { backendStatus } from '../../kernels/backend-status';
import type { CliIO } from './io';

/**
 * Which gpu.js mode --backend gpu.js got. Off a GPU it runs on the CPU: 40 against 96 examples/s
 * for 'js' on a loaded 2-core machine (train --limit 512), 5× in the run issue 10 reports.
 */
function describeGpuJs(io: CliIO): void {
  const status = gpuJsStatus();
  if (!status.available)
    io.err.write(`dropgrad: gpu.js cannot run here (${status.reason}); its kernels run the js backend's code instead\n`);
  else if (status.mode === 'cpu' || status.mode === 'webasm') {
    io.err.write(
      `dropgrad: gpu.js is running in its ${status.mode} mode (no GPU context here): a small-CNN training step runs 2-5× slower than with --backend js\n`,
    );
  } else io.out.write(`gpu.js is running in its ${status.mode} mode\n`);
}

/** One line on what the kernels run on for the run's dtype, and a warning when it is not what was asked for. */
export function describeKernels(io: CliIO, dtype: DType): void {
  const status = backendStatus({ dtype });
  if (status.selected === 'gpu.js') describeGpuJs(io);
  else if (status.note !== undefined) io.err.write(`dropgrad: ${status.note}\n`);
  // The relaxed-SIMD module is named: its fused multiply-adds give other floats than the plain one's.
  const wasm = `, ${status.threads} thread${status.threads === 1 ? '' : 's'}${status.simd === 'relaxed' ? ', relaxed SIMD (fused multiply-adds)' : ''}`;
  io.out.write(`kernels: ${status.running}${status.running === 'wasm' ? wasm : ''}\n`);
}
