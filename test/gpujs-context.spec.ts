import { expect } from 'chai';
import { conv2dGeometry } from '../kernels/conv2d';
import { gpujsConv2d } from '../kernels/conv2d/gpujs';
import { jsConv2d } from '../kernels/conv2d/js';
import { configureGpuJs, detectMode, gpuJsStatus, hasRealGpuContext } from '../kernels/gpujs/context';
import type { GpuJsModule } from '../kernels/gpujs/context';
import { installedGpuJs } from './helpers/gpujs';

type GpuClass = GpuJsModule['GPU'];

/** A stand-in for gpu.js' GPU class with the given support flags. */
function fakeGpu(flags: { headlessgl?: boolean; webgl2?: boolean; webgl?: boolean }): GpuClass {
  return {
    isHeadlessGLSupported: !!flags.headlessgl,
    isWebGL2Supported: !!flags.webgl2,
    isWebGLSupported: !!flags.webgl,
  } as unknown as GpuClass;
}

/** Calls fn with console.warn recorded instead of printed; returns the messages. */
function warnings(fn: () => void): string[] {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => seen.push(args.join(' '));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

/** A small conv through the gpu.js kernels and through the js ones. */
function convBothWays(): { gpujs: Float64Array; js: Float64Array } {
  const geo = conv2dGeometry([1, 2, 4, 4], [3, 2, 3, 3], null, { padding: 1 });
  const x = Float64Array.from({ length: 32 }, (_, i) => Math.sin(i));
  const w = Float64Array.from({ length: 54 }, (_, i) => Math.cos(i));
  const gpujs = new Float64Array(48);
  const js = new Float64Array(48);
  gpujsConv2d.forward(x, w, null, geo, gpujs);
  jsConv2d.forward(x, w, null, geo, js);
  return { gpujs, js };
}

describe('gpu.js context', () => {
  const savedMode = process.env.DROPGRAD_GPUJS_MODE;
  afterEach(() => {
    if (savedMode === undefined) delete process.env.DROPGRAD_GPUJS_MODE;
    else process.env.DROPGRAD_GPUJS_MODE = savedMode;
    configureGpuJs();
  });

  it('detects the mode gpu.js would use: headless-gl, then WebGL2, then WebGL, else cpu', () => {
    expect(detectMode(fakeGpu({ headlessgl: true, webgl2: true, webgl: true }))).to.equal('headlessgl');
    expect(detectMode(fakeGpu({ webgl2: true, webgl: true }))).to.equal('webgl2');
    expect(detectMode(fakeGpu({ webgl: true }))).to.equal('webgl');
    expect(detectMode(fakeGpu({}))).to.equal('cpu');
  });

  it('runs the detected mode by default and calls only GL modes a real GPU context', function () {
    const { GPU } = installedGpuJs(this);
    delete process.env.DROPGRAD_GPUJS_MODE;
    configureGpuJs();
    const expected = detectMode(GPU);
    expect(gpuJsStatus()).to.deep.equal({ available: true, mode: expected });
    expect(hasRealGpuContext()).to.equal(expected !== 'cpu');
  });

  it('takes a forced mode from the options before DROPGRAD_GPUJS_MODE', function () {
    installedGpuJs(this);
    process.env.DROPGRAD_GPUJS_MODE = 'gpu';
    configureGpuJs({ mode: 'cpu' });
    expect(gpuJsStatus()).to.deep.equal({ available: true, mode: 'cpu' });
    expect(hasRealGpuContext()).to.equal(false);
  });

  it("takes a forced mode from DROPGRAD_GPUJS_MODE ('gpu' lets gpu.js choose)", function () {
    const { GPU } = installedGpuJs(this);
    process.env.DROPGRAD_GPUJS_MODE = 'cpu';
    configureGpuJs();
    expect(gpuJsStatus()).to.deep.equal({ available: true, mode: 'cpu' });
    process.env.DROPGRAD_GPUJS_MODE = 'gpu';
    configureGpuJs();
    expect(gpuJsStatus()).to.deep.equal({ available: true, mode: (new GPU({ mode: 'gpu' }) as { Kernel: { mode: string } }).Kernel.mode });
  });

  it('reports an unknown or webgpu DROPGRAD_GPUJS_MODE as unavailable, naming the value', function () {
    installedGpuJs(this);
    process.env.DROPGRAD_GPUJS_MODE = 'webgpu';
    configureGpuJs();
    const status = gpuJsStatus();
    expect(status.available).to.equal(false);
    expect(!status.available && status.reason).to.match(/DROPGRAD_GPUJS_MODE.*"webgpu".*asynchronous/);
  });

  it('reports a forced mode this machine lacks as unavailable', function () {
    const { GPU } = installedGpuJs(this);
    if (GPU.isWebGLSupported) this.skip();
    configureGpuJs({ mode: 'webgl' });
    expect(gpuJsStatus()).to.include({ available: false });
    expect(hasRealGpuContext()).to.equal(false);
  });

  it('falls back to js with one warning when gpu.js cannot be loaded', () => {
    configureGpuJs({
      load: () => {
        throw new Error('no gpu.js here');
      },
    });
    let results: Array<{ gpujs: Float64Array; js: Float64Array }> = [];
    const seen = warnings(() => {
      expect(hasRealGpuContext(), 'the probe answers quietly').to.equal(false);
      results = [convBothWays(), convBothWays()];
    });
    expect(seen).to.deep.equal(["dropgrad: gpu.js backend unavailable (no gpu.js here); using 'js'"]);
    for (const { gpujs, js } of results) expect(Array.from(gpujs)).to.deep.equal(Array.from(js));
  });

  it('falls back to js with one warning when creating the GPU throws', () => {
    /** gpu.js' GPU class is constructed with `new`; this one fails there, as a missing WebGL does. */
    class FailingGpu {
      static isHeadlessGLSupported = true;
      static isWebGL2Supported = false;
      static isWebGLSupported = false;
      constructor() {
        throw new Error('cannot create a WebGL context');
      }
    }
    const Failing = FailingGpu as unknown as GpuClass;
    configureGpuJs({ load: () => ({ GPU: Failing }) });
    const seen = warnings(() => {
      convBothWays();
      convBothWays();
    });
    expect(seen).to.deep.equal(["dropgrad: gpu.js backend unavailable (cannot create a WebGL context); using 'js'"]);
    expect(gpuJsStatus()).to.deep.equal({ available: false, reason: 'cannot create a WebGL context' });
  });

  it('falls back to js with one warning when a kernel fails to compile, and stops claiming a GPU', () => {
    class CompileFails {
      static isHeadlessGLSupported = true;
      static isWebGL2Supported = false;
      static isWebGLSupported = false;
      Kernel = { mode: 'headlessgl' };
      createKernel(): never {
        throw new Error('shader compile failed');
      }
    }
    configureGpuJs({ load: () => ({ GPU: CompileFails as unknown as GpuClass }) });
    expect(hasRealGpuContext(), 'before the failure').to.equal(true);
    let result: ReturnType<typeof convBothWays> | undefined;
    const seen = warnings(() => {
      result = convBothWays();
      convBothWays();
    });
    expect(seen).to.deep.equal(["dropgrad: gpu.js backend unavailable (shader compile failed); using 'js'"]);
    expect(Array.from(result?.gpujs ?? [])).to.deep.equal(Array.from(result?.js ?? [0]));
    expect(hasRealGpuContext(), 'after the failure').to.equal(false);
  });

  it('warns again after configureGpuJs starts over', () => {
    const failing = {
      load: (): GpuJsModule => {
        throw new Error('still no gpu.js');
      },
    };
    configureGpuJs(failing);
    const first = warnings(convBothWays);
    configureGpuJs(failing);
    const second = warnings(convBothWays);
    expect([first.length, second.length]).to.deep.equal([1, 1]);
  });
});
