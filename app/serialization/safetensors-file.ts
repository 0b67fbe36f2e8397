/**
 * Node-only: safetensors files. `save` writes atomically (a crash never leaves a half-written
 * checkpoint); `loadInto` validates the whole file, then hands it to Module.loadStateDict, which is
 * itself all-or-nothing, so a module is never left half-updated.
 *
 * Checkpoint extras (epoch, optimizer.stateDict(), generator.getState()) go in the metadata as
 * JSON strings:
 *
 *   save(model, 'ckpt.safetensors', { metadata: { epoch: '3', optimizer: JSON.stringify(opt.stateDict()) } });
 *   const { metadata } = loadInto(model, 'ckpt.safetensors');
 *   opt.loadStateDict(JSON.parse(metadata.optimizer));
 */
import type { LoadStateDictOptions, LoadStateDictResult, Module, StateDict } from '../../nn/module';
import { type SafetensorsMetadata, declaredSafetensorsSize } from './safetensors/header';
import { type SafetensorsContents, decodeSafetensors } from './safetensors/decode';
import { encodeSafetensors } from './safetensors/encode';
import { readExactly, withRegularFile } from './regular-file';
import { writeFileAtomic } from './atomic-write';
import { formatValue } from '../../base/shape';
import { checkOptions, optionKeys } from '../../lib/validate';
import { loadStateDictOptionKeys } from '../../nn/module';

export interface SaveOptions {
  metadata?: SafetensorsMetadata;
}
const saveOptionKeys = optionKeys<SaveOptions>({ metadata: true });

/** Saves a module's state dict (or a state dict) to `path`, atomically. */
export function save(source: Pick<Module, 'stateDict'> | StateDict, path: string, options: SaveOptions = {}): void {
  checkOptions('save', options, saveOptionKeys);
  const tensors = typeof source.stateDict === 'function' ? (source as Pick<Module, 'stateDict'>).stateDict() : (source as StateDict);
  writeFileAtomic(path, encodeSafetensors(tensors, options.metadata));
}

/**
 * The tensors and metadata of a safetensors file, fully validated. Only a regular file is read
 * (symlinks followed; a device such as /dev/zero or a FIFO is refused at once), and never more than
 * its header declares: the header is read first, and a file whose size is not 8 + header + the
 * data it declares is refused before the data is read.
 */
export function readSafetensors(path: string): SafetensorsContents {
  const bytes = withRegularFile('readSafetensors', path, (file) => {
    const read = (begin: number, end: number): Uint8Array => readExactly(file, begin, end - begin);
    const declared = declaredSafetensorsSize(read, file.size, path);
    if (declared !== file.size) {
      const problem = declared > file.size ? 'is truncated' : `has ${file.size - declared} trailing bytes`;
      throw new Error(`decodeSafetensors: ${path} ${problem}: its header declares ${declared} bytes in all, the file holds ${file.size}`);
    }
    return read(0, declared);
  });
  return decodeSafetensors(bytes, path);
}

/** The state dict stored in a safetensors file. */
export function load(path: string): StateDict {
  return readSafetensors(path).tensors;
}

/**
 * Loads a safetensors file into `module` (keys and shapes checked as loadStateDict does) and
 * returns the file's metadata with the key report. On any error the module is unchanged.
 */
export function loadInto(
  module: Pick<Module, 'loadStateDict'>,
  path: string,
  options: LoadStateDictOptions = {},
): LoadStateDictResult & { metadata: SafetensorsMetadata } {
  if (typeof (module as Partial<Module> | null)?.loadStateDict !== 'function') {
    throw new TypeError(`loadInto: module must be a Module (with loadStateDict), got ${formatValue(module)}`);
  }
  // loadStateDict checks them too, but only after the whole file is read.
  checkOptions('loadInto', options, loadStateDictOptionKeys);
  const { tensors, metadata } = readSafetensors(path);
  return { ...module.loadStateDict(tensors, options), metadata };
}
