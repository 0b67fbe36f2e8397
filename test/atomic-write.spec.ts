import { expect } from 'chai';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, writeSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { whyNotWritable, writeDurably, writeFileAtomic } from '../app/serialization/atomic-write';
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
    // Another process makes a directory at the target between our write and our rename.
    const raced = (tmp: string, bytes: Uint8Array): void => {
      writeDurably(tmp, bytes);
      mkdirSync(path);
      writeFileSync(join(path, 'inside'), 'x');
    };
    expect(() => writeFileAtomic(path, new Uint8Array([1]), raced)).to.throw(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(tempDir())).to.deep.equal(['taken']);
  });

  it('refuses a directory as the target before writing anything, naming it (save(state, "/tmp") wrote /tmp.tmp-… in /)', () => {
    const path = join(tempDir(), 'out');
    mkdirSync(path);
    expect(() => writeFileAtomic(path, new Uint8Array([1]))).to.throw(
      Error,
      `cannot write ${path}: ${path} is a directory, expected a regular file`,
    );
    expect(readdirSync(tempDir())).to.deep.equal(['out']);
    expect(readdirSync(path)).to.deep.equal([]);
  });

  it('names the target, not the temporary file, when the directory is missing', () => {
    const path = join(tempDir(), 'missing', 'ckpt.bin');
    expect(() => writeFileAtomic(path, new Uint8Array([1])))
      .to.throw(Error, path)
      .with.property('message')
      .that.does.not.contain('.tmp-');
  });

  it('reports the original error when cleaning up after it fails too', () => {
    const path = join(tempDir(), 'ckpt.bin');
    // The failed write leaves a non-empty directory where the temporary file was: rmSync cannot remove it.
    const failBadly = (tmp: string): void => {
      mkdirSync(tmp);
      writeFileSync(join(tmp, 'x'), 'x');
      throw new Error('disk full');
    };
    expect(() => writeFileAtomic(path, new Uint8Array([1]), failBadly)).to.throw('disk full');
  });

  it('removes stale temporary files of the same target left by a killed writer, and nothing else', () => {
    const path = join(tempDir(), 'ckpt.bin');
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max default: no such process
    const names = [
      `ckpt.bin.tmp-${deadPid}-abc123de`,
      `ckpt.bin.tmp-${process.ppid}-abc123de`,
      `other.bin.tmp-${deadPid}-abc123de`,
      'ckpt.bin.tmp-notes',
    ];
    for (const name of names) writeFileSync(join(tempDir(), name), 'leftover');
    writeFileAtomic(path, 'new');
    expect(readdirSync(tempDir()).sort()).to.deep.equal(['ckpt.bin', ...names.slice(1)].sort());
  });

  it('whyNotWritable says what is wrong with an output path before any work', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(whyNotWritable(join(dir, 'ok.bin'))).to.equal(undefined);
    expect(whyNotWritable('')).to.equal('expected a file name, got an empty path');
    expect(whyNotWritable(dir)).to.equal(`${dir} is a directory, expected a regular file`);
    expect(whyNotWritable(join(dir, 'nope', 'a.bin'))).to.equal(`the directory ${join(dir, 'nope')} does not exist`);
    expect(whyNotWritable(join(dir, 'file', 'a.bin'))).to.equal(`${join(dir, 'file')} is not a directory`);
    expect(whyNotWritable('/proc/dropgrad-test.bin')).to.match(/^cannot create files in \/proc \(E[A-Z]+\)$/);
    expect(readdirSync(dir).sort()).to.deep.equal(['file']);
  });
});
