/** How a model is asked for DropBlock layers: the layer's options with its drop probability p. */
import type { DropBlock2dOptions } from '../drop/dropblock';
import type { DropLayerOptions } from '../drop/noise-layer';

export type DropBlockSettings = DropLayerOptions<DropBlock2dOptions> & { p: number };

/** The keys of DropBlockSettings, for a model's unknown-key check (the compiler keeps them in step). */
export const dropBlockSettingKeys: Record<keyof DropBlockSettings & string, true> = {
  p: true,
  blockSize: true,
  sharedAcrossChannels: true,
  batchwise: true,
  generator: true,
};
