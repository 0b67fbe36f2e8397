/** Node-only: an image dataset from an IDX images file and an IDX labels file on disk. */
import type { IdxArray } from './idx';
import { checkOptions, optionKeys } from '../../lib/validate';
import { type ImageDataset, type ImageDatasetOptions, idxImageDataset } from './dataset';
import { readIdxFile } from './read-idx-file';

export interface LoadIdxOptions extends ImageDatasetOptions {
  /** Read only the first `limit` images and labels (see readIdxFile). */
  limit?: number;
}
const loadIdxOptionKeys = optionKeys<LoadIdxOptions>({ normalization: true, classes: true, classNames: true, limit: true });

/**
 * A dataset from an IDX images file and an IDX labels file (MNIST, Fashion-MNIST, KMNIST…). With
 * `limit` and no class count given, every label is still read (one byte each) so that the class
 * count, and with it a model's outputs, does not depend on the limit.
 */
export function loadIdxDataset(imagesPath: string, labelsPath: string, options: LoadIdxOptions = {}): ImageDataset {
  const { limit, ...datasetOptions } = checkOptions('loadIdxDataset', options, loadIdxOptionKeys);
  const classesGiven = datasetOptions.classes !== undefined || datasetOptions.classNames !== undefined;
  const images = readIdxFile(imagesPath, { limit });
  const labels = readIdxFile(labelsPath, { limit: classesGiven ? limit : undefined });
  const firstLabels = (): IdxArray => {
    const count = Math.min(limit ?? Number.POSITIVE_INFINITY, labels.shape[0]);
    return { shape: [count, ...labels.shape.slice(1)], data: labels.data.subarray(0, count) };
  };
  const { data } = labels;
  const classes =
    !classesGiven && data instanceof Uint8Array && data.length > 0 ? { classes: data.reduce((m, label) => Math.max(m, label), 0) + 1 } : {};
  try {
    return idxImageDataset(images, firstLabels(), { ...classes, ...datasetOptions });
  } catch (error) {
    // The arrays' shapes alone do not say which files were swapped or short: name both.
    if (error instanceof Error) error.message = `loadIdxDataset (images ${imagesPath}, labels ${labelsPath}): ${error.message}`;
    throw error;
  }
}
