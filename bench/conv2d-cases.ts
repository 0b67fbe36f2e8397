/** The conv2d benchmark shapes (bench/conv2d.ts's cases), shared with the browser benchmark. */
export interface Conv2dCase {
  name: string;
  n: number;
  inC: number;
  size: number;
  outC: number;
  k: number;
  pad: number;
}

export const conv2dCases: readonly Conv2dCase[] = [
  { name: 'N=8, 64→64 ch, 32×32, 3×3 pad 1', n: 8, inC: 64, size: 32, outC: 64, k: 3, pad: 1 },
  { name: 'MNIST conv1: N=64, 1→32 ch, 28×28, 3×3 pad 1', n: 64, inC: 1, size: 28, outC: 32, k: 3, pad: 1 },
  { name: 'MNIST conv2: N=64, 32→64 ch, 14×14, 3×3 pad 1', n: 64, inC: 32, size: 14, outC: 64, k: 3, pad: 1 },
];
