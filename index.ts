/**
 * dropgrad for Node: everything public is importable from here — the browser-safe API (browser.ts)
 * plus the loaders and savers that use the file system.
 */
export * from './browser';
export { loadMnist, loadFashionMnist, fashionMnistDirectory } from './app/data/mnist-layout-loaders';
export type { LoadMnistOptions, LoadFashionMnistOptions, MnistSplit } from './app/data/mnist-layout-loaders';
export { loadIdxDataset } from './app/data/load-idx-dataset';
export type { LoadIdxOptions } from './app/data/load-idx-dataset';
export { readIdxFile } from './app/data/read-idx-file';
export type { ReadIdxFileOptions } from './app/data/read-idx-file';
export { loadCifar10 } from './app/data/load-cifar10';
export type { LoadCifar10Options } from './app/data/load-cifar10';
export { save, load, loadInto, readSafetensors } from './app/serialization/safetensors-file';
export type { SaveOptions } from './app/serialization/safetensors-file';
export { saveCheckpoint, loadCheckpoint, inspectCheckpoint } from './app/serialization/checkpoint';
export type { CheckpointConfig, CheckpointContents, LoadedCheckpoint } from './app/serialization/checkpoint';
