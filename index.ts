/**
 * dropgrad for Node: everything public is importable from here — the browser-safe API (browser.ts)
 * plus the loaders and savers that use the file system.
 */
export * from './browser';
export { loadMnist, loadFashionMnist, fashionMnistDirectory, loadIdxDataset, loadCifar10, readIdxFile } from './app/data/node-loaders';
export type {
  LoadCifar10Options,
  LoadIdxOptions,
  LoadMnistOptions,
  LoadFashionMnistOptions,
  MnistSplit,
  ReadIdxFileOptions,
} from './app/data/node-loaders';
export { save, load, loadInto, readSafetensors } from './app/serialization/safetensors-file';
export type { SaveOptions } from './app/serialization/safetensors-file';
export { saveCheckpoint, loadCheckpoint, inspectCheckpoint } from './app/serialization/checkpoint';
export type { CheckpointConfig, CheckpointContents, LoadedCheckpoint } from './app/serialization/checkpoint';
