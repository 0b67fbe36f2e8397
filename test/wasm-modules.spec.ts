import { expect } from 'chai';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDigest } from '../kernels/wasm/generated/modules';
import { wasmSlotsFile, wasmSlotsSource, wasmSourceDigest, wasmSourceDir } from '../scripts/wasm-build-inputs';
import { useTempDir } from './helpers/data-files';

/**
 * The compiled wasm modules are committed (a clone runs without the AssemblyScript compiler), so
 * they must be rebuilt whenever their sources change. .ci/run rebuilds them and compares byte for
 * byte; this spec catches the forgotten rebuild locally, without the compiler.
 */
describe('committed wasm modules', () => {
  const tempDir = useTempDir();

  it('were built from the AssemblyScript sources as they are now', () => {
    expect(
      sourceDigest,
      'kernels/wasm/assembly/ changed since kernels/wasm/generated/modules.ts was built: run npm run build:wasm',
    ).to.equal(wasmSourceDigest());
  });

  it('read their argument slots where kernels/wasm/argument-blocks.ts declares them (slots.ts is generated from it)', () => {
    expect(
      readFileSync(wasmSlotsFile, 'utf8'),
      'kernels/wasm/argument-blocks.ts changed since kernels/wasm/assembly/slots.ts was generated: run npm run build:wasm',
    ).to.equal(wasmSlotsSource());
    // A sample of what the generated names mean: the third operand of the forward conv.
    expect(wasmSlotsSource()).to.include('export const CONV2D_FORWARD_BIAS: i32 = 20;');
  });

  it("the sources' digest changes when any source file changes", () => {
    const copy = tempDir();
    cpSync(wasmSourceDir, copy, { recursive: true });
    expect(wasmSourceDigest(copy)).to.equal(wasmSourceDigest());
    writeFileSync(join(copy, 'memory.ts'), '// one more line\n', { flag: 'a' });
    expect(wasmSourceDigest(copy)).to.not.equal(wasmSourceDigest());
  });
});
