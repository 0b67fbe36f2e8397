/**
 * The page side of bench/browser-conv2d.ts: times conv2d (float32) forward, and forward+backward,
 * on dropgrad's 'js' and 'wasm' kernels and on gpu.js' WebGL backend, in the browser bundle. Results go back
 * to Node, which prints the table.
 */
import { F, configureGpuJs, gpuJsStatus, onesLike, randn, withBackend } from '../../browser';
import type { BackendName, GpuJsModule, GpuJsStatus } from '../../browser';
import { conv2dCases } from '../conv2d-cases';
import { medianMs } from '../median';

export interface PageTimings {
  forward: Record<string, number>;
  both: Record<string, number>;
}

function time(caseIndex: number, backend: BackendName, withBackward: boolean): number {
  const c = conv2dCases[caseIndex];
  const x = randn([c.n, c.inC, c.size, c.size], { dtype: 'float32', requiresGrad: withBackward });
  const w = randn([c.outC, c.inC, c.k, c.k], { dtype: 'float32', requiresGrad: withBackward });
  return withBackend(backend, () =>
    medianMs(() => {
      const y = F.conv2d(x, w, null, { padding: c.pad });
      if (withBackward) y.backward(onesLike(y));
    }),
  );
}

function setup(): { status: GpuJsStatus; renderer: string; userAgent: string } {
  // `as unknown`: the DOM typings declare a global GPU too, WebGPU's, which gpu.js' class shadows here.
  const GPU = (globalThis as unknown as { GPU?: GpuJsModule['GPU'] }).GPU;
  if (GPU === undefined) throw new Error('gpu-browser.min.js did not define window.GPU');
  configureGpuJs({ load: () => ({ GPU }) });
  const gl = document.createElement('canvas').getContext('webgl');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'no WebGL';
  return { status: gpuJsStatus(), renderer, userAgent: navigator.userAgent };
}

function runCase(caseIndex: number): PageTimings {
  const backends: BackendName[] = ['js', 'wasm', 'gpu.js'];
  const entries = (withBackward: boolean): Record<string, number> =>
    Object.fromEntries(backends.map((b) => [b, time(caseIndex, b, withBackward)]));
  return { forward: entries(false), both: entries(true) };
}

const bench = { setup, runCase, statusAfter: gpuJsStatus };
export type Conv2dBenchPage = typeof bench;
(globalThis as { dropgradBench?: Conv2dBenchPage }).dropgradBench = bench;
