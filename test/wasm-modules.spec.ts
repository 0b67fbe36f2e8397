import { expect } from 'chai';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDigest } from '../kernels/wasm/generated/modules';
import { wasmSourceDigest, wasmSourceDir } from '../scripts/wasm-build-inputs';
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

  it("the sources' digest changes when any source file changes", () => {
    const copy = tempDir();
    cpSync(wasmSourceDir, copy, { recursive: true });
    expect(wasmSourceDigest(copy)).to.equal(wasmSourceDigest());
    writeFileSync(join(copy, 'memory.ts'), '// one more line\n', { flag: 'a' });
    expect(wasmSourceDigest(copy)).to.not.equal(wasmSourceDigest());
  });
});
