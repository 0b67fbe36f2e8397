import { expect } from 'chai';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, writeSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../app/serialization/atomic-write';
import { useTempDir } from './helpers/data-files';

describe('writeFileAtomic', () => {
  const tempDir = useTempDir();

  it('creates or replaces the file and leaves no temporary file behind', () => {
    const path = join(tempDir(), 'ckpt.bin');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    writeFileAtomic(path, new Uint8Array([4, 5]));
    expect(Array.from(readFileSync(path))).to.deep.equal([4, 5]);
    expect(readdirSync(tempDir())).to.deep.equal(['ckpt.bin']);
  });

  it('keeps the old file intact and removes the temporary file when writing fails midway', () => {
    const path = join(tempDir(), 'ckpt.bin');
    writeFileSync(path, 'old checkpoint');
    let temporary = '';
    const crashHalfway = (tmp: string, bytes: Uint8Array): void => {
      temporary = tmp;
      const fd = openSync(tmp, 'wx');
      writeSync(fd, bytes, 0, bytes.length / 2);
      closeSync(fd);
      throw new Error('disk full');
    };
    expect(() => writeFileAtomic(path, new Uint8Array(100).fill(7), crashHalfway)).to.throw('disk full');
    expect(temporary.startsWith(`${path}.tmp-${process.pid}-`)).to.equal(true);
    expect(readFileSync(path, 'utf8')).to.equal('old checkpoint');
    expect(readdirSync(tempDir())).to.deep.equal(['ckpt.bin']);
  });

  it('removes the temporary file when the final rename fails', () => {
    const path = join(tempDir(), 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    expect(() => writeFileAtomic(path, new Uint8Array([1]))).to.throw(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(tempDir())).to.deep.equal(['taken']);
  });
});
