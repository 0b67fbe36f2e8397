/**
 * Pooling geometry shared by every pool2d path: output sizes (PyTorch's floor/ceil rules) and the
 * per-axis windows of average pooling. Inputs are read as `planes` independent H×W images (N·C of
 * them for NCHW, C for CHW), each stored row-major.
 */

/** A max pool over `planes` images: window taps at oh·stride − padding + k·dilation, k < kernel. */
export interface MaxPool2dGeometry {
  planes: number;
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
}

/**
 * Average pooling along one axis: output o averages input indices [start[o], end[o]) and divides
 * by divisor[o]. Every divisor rule of avg_pool2d and adaptive_avg_pool2d factors into a row part
 * times a column part, so a 2-D window's divisor is rows.divisor[oh] · cols.divisor[ow].
 */
export interface AxisWindows {
  start: Int32Array;
  end: Int32Array;
  divisor: Float64Array;
}

export interface AvgPool2dGeometry {
  planes: number;
  inH: number;
  inW: number;
  rows: AxisWindows;
  cols: AxisWindows;
}

/**
 * PyTorch's pooling output size: floor((in + 2p − d(k−1) − 1 + (ceil ? s−1 : 0)) / s) + 1, and in
 * ceil mode the last window is dropped when it would start inside the right padding only.
 */
export function pooledSize(inSize: number, kernel: number, stride: number, padding: number, dilation: number, ceilMode: boolean): number {
  const span = inSize + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= inSize + padding) out--;
  return out;
}

/**
 * avg_pool2d's windows along one axis (PyTorch's CPU kernel): the window [o·s − p, o·s − p + k) is
 * first cut at the far edge of the *padded* input (ceil mode can run past it), which gives the
 * count-include-pad divisor; then it is cut to the real input, which gives the summed range and
 * the count-exclude-pad divisor.
 */
export function avgPoolWindows(
  inSize: number,
  outSize: number,
  kernel: number,
  stride: number,
  padding: number,
  countIncludePad: boolean,
): AxisWindows {
  const windows = emptyWindows(outSize);
  for (let o = 0; o < outSize; o++) {
    const paddedStart = o * stride - padding;
    const paddedEnd = Math.min(paddedStart + kernel, inSize + padding);
    windows.start[o] = Math.max(paddedStart, 0);
    windows.end[o] = Math.min(paddedEnd, inSize);
    windows.divisor[o] = countIncludePad ? paddedEnd - paddedStart : windows.end[o] - windows.start[o];
  }
  return windows;
}

/** adaptive_avg_pool2d's bins: start = floor(o·in/out), end = ceil((o+1)·in/out). */
export function adaptiveWindows(inSize: number, outSize: number): AxisWindows {
  const windows = emptyWindows(outSize);
  for (let o = 0; o < outSize; o++) {
    windows.start[o] = Math.floor((o * inSize) / outSize);
    windows.end[o] = Math.ceil(((o + 1) * inSize) / outSize);
    windows.divisor[o] = windows.end[o] - windows.start[o];
  }
  return windows;
}

/** Windows with a constant divisor along this axis (divisorOverride puts it all on the rows). */
export function withDivisor(windows: AxisWindows, divisor: number): AxisWindows {
  return { ...windows, divisor: new Float64Array(windows.divisor.length).fill(divisor) };
}

function emptyWindows(size: number): AxisWindows {
  return { start: new Int32Array(size), end: new Int32Array(size), divisor: new Float64Array(size) };
}
