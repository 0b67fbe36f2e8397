/**
 * The page script of test/browser.spec.ts. It runs in Chromium against the browser bundle (its
 * import of browser.ts is rewritten to /build/dropgrad.mjs, see scripts/browser-bundle.ts) and
 * leaves the checks on `window.dropgradChecks` for the spec to call; each returns plain data, the
 * spec does the asserting.
 */
import {
  F,
  Generator,
  type Tensor,
  configureGpuJs,
  gpuJsStatus,
  hasRealGpuContext,
  webglRenderer,
  gradcheck,
  manualSeed,
  nn,
  optim,
  randn,
  tensor,
  withBackend,
} from '../../browser';
import type { GpuJsModule, GpuJsStatus } from '../../browser';

export interface GradcheckResult {
  passed: boolean;
  message: string;
  /** Entries DropBlock zeroed in the checked forward pass: the mask must have dropped something. */
  dropped: number;
}

export interface GpuJsParityResult {
  status: GpuJsStatus;
  /** Whether gpu.js was still in use after the run (a failure would have fallen back to 'js'). */
  statusAfter: GpuJsStatus;
  /** max |gpu.js − reference| for y, dx, dw, and the largest |reference| entry of each. */
  errors: Record<'y' | 'dx' | 'dw', { maxAbsError: number; scale: number }>;
  /** The page's WebGL renderer, and whether dropgrad counts it as a real GPU for the default backend. */
  renderer: string | null;
  realGpu: boolean;
}

export interface TrainingResult {
  losses: number[];
}

/** conv → batch norm → DropBlock, gradient-checked in float64 on the reference kernels. */
function checkModelGradient(): GradcheckResult {
  manualSeed(3);
  const conv = new nn.Conv2d(2, 3, 3, { padding: 1, dtype: 'float64' });
  const model = new nn.Sequential(conv, new nn.BatchNorm2d(3, { dtype: 'float64' }), new nn.DropBlock2d(0.3, { blockSize: 3 }));
  const x = randn([2, 2, 6, 6], { dtype: 'float64', requiresGrad: true });
  // seed: the default generator is reseeded before every evaluation, so DropBlock draws the same mask.
  const report = withBackend('reference', () =>
    gradcheck((input: Tensor) => model.forward(input), [x, conv.weight], { seed: 11, raiseException: false }),
  );
  manualSeed(11);
  const y = withBackend('reference', () => model.forward(x));
  return { passed: report.passed, message: report.message, dropped: Array.from(y.data).filter((v) => v === 0).length };
}

/** conv2d forward and backward on gpu.js (WebGL here), against the float64 reference kernels. */
function checkGpuJsConv(): GpuJsParityResult {
  // `as unknown`: the DOM typings declare a global GPU too, WebGPU's, which gpu.js' class shadows here.
  const GPU = (globalThis as unknown as { GPU?: GpuJsModule['GPU'] }).GPU;
  if (GPU === undefined) throw new Error('gpu-browser.min.js did not define window.GPU');
  configureGpuJs({ load: () => ({ GPU }) });
  const status = gpuJsStatus();
  const generator = new Generator(5);
  const xData = randn([2, 3, 9, 8], { dtype: 'float64', generator });
  const wData = randn([4, 3, 3, 3], { dtype: 'float64', generator });
  const gy = randn([2, 4, 5, 8], { dtype: 'float64', generator });
  const run = (backend: 'gpu.js' | 'reference'): Record<'y' | 'dx' | 'dw', Float64Array> =>
    withBackend(backend, () => {
      const x = tensor(xData.toArray(), { dtype: 'float64', requiresGrad: true });
      const w = tensor(wData.toArray(), { dtype: 'float64', requiresGrad: true });
      const y = F.conv2d(x, w, null, { stride: [2, 1], padding: 1 });
      y.backward(gy);
      return { y: Float64Array.from(y.data), dx: Float64Array.from(x.grad!.data), dw: Float64Array.from(w.grad!.data) };
    });
  const gpu = run('gpu.js');
  const reference = run('reference');
  const compare = (key: 'y' | 'dx' | 'dw'): { maxAbsError: number; scale: number } => ({
    maxAbsError: Math.max(...gpu[key].map((v, i) => Math.abs(v - reference[key][i]))),
    scale: Math.max(...reference[key].map(Math.abs)),
  });
  return {
    status,
    statusAfter: gpuJsStatus(),
    errors: { y: compare('y'), dx: compare('dx'), dw: compare('dw') },
    renderer: webglRenderer(),
    realGpu: hasRealGpuContext(),
  };
}

/** A few Adam steps of a small CNN with DropBlock and dropout on a fixed learnable batch. */
function train(steps: number): TrainingResult {
  manualSeed(21);
  const x = randn([16, 1, 8, 8]);
  // Label: is the top half brighter than the bottom half — learnable from the pixels.
  const pixels = Array.from(x.data);
  const sum = (from: number, to: number): number => pixels.slice(from, to).reduce((a, b) => a + b, 0);
  const labels = Array.from({ length: 16 }, (_, i) => (sum(i * 64, i * 64 + 32) > sum(i * 64 + 32, i * 64 + 64) ? 1 : 0));
  const y = tensor(labels);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.DropBlock2d(0.1, { blockSize: 3 }),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Dropout(0.1),
    new nn.Linear(64, 2),
  );
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return { losses };
}

/** The message of an error that names its layer's class (`${this.constructor.name}`), as the bundle throws it. */
function layerErrorMessage(): string {
  try {
    new nn.BatchNorm2d(3).forward(randn([2, 3]));
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  }
}

const checks = { checkModelGradient, checkGpuJsConv, train, layerErrorMessage };
export type ModelChecks = typeof checks;
(globalThis as { dropgradChecks?: ModelChecks }).dropgradChecks = checks;
