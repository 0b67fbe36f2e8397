/**
 * dropgrad's rows: the default small CNN (models.smallCnn, float32) trained with Adam on every CPU
 * backend that kernels/backend.ts lists, one row per configuration.
 */
import { Generator, crossEntropy, getNumThreads, models, optim, setBackend, setNumThreads, tensor } from '../../index';
import { type BackendName, backendNames } from '../../kernels/backend';
import { hasRealGpuContext } from '../../kernels/gpujs/context';
import type { TrainBatch } from './batch';
import type { TrainingSystem } from './system';

/** A row of the table: a name and everything to select before its steps run. */
export interface DropgradConfiguration {
  readonly name: string;
  /** Selects the backend (and the thread count); called before each round's steps. */
  readonly apply: () => void;
}

/** The float64 reference oracle is not a contender; gpu.js is, where a real GPU backs it. */
const isContender = (name: BackendName): boolean => name !== 'reference' && (name !== 'gpu.js' || hasRealGpuContext());

/** The cores here: the default thread count, read before any row changes it. */
const cores = getNumThreads();

/** The rows of one backend: wasm gets one per thread count (1 and every core), the others one. */
function configurationsOf(name: BackendName): DropgradConfiguration[] {
  if (name !== 'wasm') return [{ name: `dropgrad ${name}`, apply: () => setBackend(name) }];
  return [...new Set([1, cores])].map((threads) => ({
    name: `dropgrad wasm, ${threads} thread${threads === 1 ? '' : 's'}`,
    apply: () => {
      setBackend(name);
      setNumThreads(threads);
    },
  }));
}

/** Every backend from backendNames, so that a new backend gets its rows with no change here. */
export function dropgradConfigurations(): DropgradConfiguration[] {
  return backendNames.filter(isContender).flatMap(configurationsOf);
}

export function dropgradSystem(configuration: DropgradConfiguration, batch: TrainBatch, seed: number): TrainingSystem {
  const model = models.smallCnn({ dtype: 'float32', generator: new Generator(seed), numClasses: batch.classes });
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = tensor(batch.images, { shape: [...batch.shape] });
  const y = tensor(Float32Array.from(batch.labels));
  return {
    name: configuration.name,
    stepsPerRound: 3,
    async run(steps) {
      configuration.apply();
      let loss = NaN;
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        optimizer.zeroGrad();
        const output = crossEntropy(model.forward(x), y);
        output.backward();
        optimizer.step();
        loss = output.item();
      }
      return { ms: performance.now() - start, loss };
    },
    close() {},
  };
}
