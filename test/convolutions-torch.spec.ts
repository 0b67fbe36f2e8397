/**
 * convTranspose2d's forward and first-order gradients, and the second derivatives (createGraph)
 * of conv2d and convTranspose2d, against PyTorch's, within 1e-9 in float64 on the reference
 * kernels. The numbers are test/fixtures/convolutions.json, made by scripts/fixtures/convolutions.py
 * (see it for what hx, hw and hv are).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { F, type NestedArray, type Tensor, add, grad, mul, sum, tensor, withBackend } from '../index';
import type { ConvTranspose2dOptions } from '../lib/ops/conv-transpose2d';
import { expectTensorClose } from './helpers/close';

interface TorchCase {
  op: 'conv2d' | 'conv_transpose2d';
  options: ConvTranspose2dOptions;
  x: NestedArray;
  w: NestedArray;
  b: NestedArray | null;
  y: NestedArray;
  v: NestedArray;
  gx: NestedArray;
  gw: NestedArray;
  gb: NestedArray | null;
  ux: NestedArray;
  uw: NestedArray;
  hx: NestedArray;
  hw: NestedArray;
  hv: NestedArray;
}

const fixture: { torch: string; cases: TorchCase[] } = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'convolutions.json'), 'utf8'));

const ops = {
  conv2d: (x: Tensor, w: Tensor, b: Tensor | null, options: ConvTranspose2dOptions) => F.conv2d(x, w, b, options),
  conv_transpose2d: (x: Tensor, w: Tensor, b: Tensor | null, options: ConvTranspose2dOptions) => F.convTranspose2d(x, w, b, options),
};

describe(`conv2d and convTranspose2d match PyTorch ${fixture.torch} (test/fixtures/convolutions.json)`, () => {
  it('has cases of both ops, with and without bias', () => {
    expect(new Set(fixture.cases.map((c) => `${c.op} ${c.b !== null}`)).size).to.equal(4);
  });

  for (const c of fixture.cases) {
    it(`${c.op} ${JSON.stringify(c.options)}${c.b ? ', bias' : ''}: forward, gradients, second derivatives`, () => {
      withBackend('reference', () => {
        const x = tensor(c.x, { requiresGrad: true });
        const w = tensor(c.w, { requiresGrad: true });
        const b = c.b ? tensor(c.b, { requiresGrad: true }) : null;
        const v = tensor(c.v, { requiresGrad: true });
        const y = ops[c.op](x, w, b, c.options);
        expectTensorClose(y, c.y, 1e-9);
        const [gx, gw, gb] = grad(y, b ? [x, w, b] : [x, w], v, { createGraph: true });
        expectTensorClose(gx!, c.gx, 1e-9);
        expectTensorClose(gw!, c.gw, 1e-9);
        if (c.gb) expectTensorClose(gb!, c.gb, 1e-9);
        const [hx, hw, hv] = grad(add(sum(mul(gx!, tensor(c.ux))), sum(mul(gw!, tensor(c.uw)))), [x, w, v]);
        expectTensorClose(hx!, c.hx, 1e-9);
        expectTensorClose(hw!, c.hw, 1e-9);
        expectTensorClose(hv!, c.hv, 1e-9);
        // The first-order path (no createGraph) gives the same gradients.
        const plain = grad(ops[c.op](x, w, b, c.options), [x, w], v);
        expectTensorClose(plain[0]!, c.gx, 1e-9);
        expectTensorClose(plain[1]!, c.gw, 1e-9);
      });
    });
  }
});
