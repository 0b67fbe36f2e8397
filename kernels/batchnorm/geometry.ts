/**
 * How batch norm reads its input: (N, C, S) row-major, where S is the product of the dims after
 * the channel dim (1 for (N,C), L for (N,C,L), H·W for (N,C,H,W)). Channel c owns the N·S values
 * x[(n·C + c)·S + s]; its statistics are taken over those M = N·S values.
 */
export interface ChannelLayout {
  batch: number;
  channels: number;
  spatial: number;
}

/** M: the number of values each channel's statistics are taken over. */
export function valuesPerChannel(layout: ChannelLayout): number {
  return layout.batch * layout.spatial;
}
