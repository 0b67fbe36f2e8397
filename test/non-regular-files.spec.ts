/**
 * Devices, FIFOs and symlinks as output and input paths: we replace and read only regular files
 * (a symlink to one is followed), and say what else a path names before any work.
 */
import { expect } from 'chai';
import { lstatSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { whyNotWritable, writeFileAtomic } from '../app/serialization/atomic-write';
import { load, save } from '../app/serialization/safetensors-file';
import { tensor } from '../index';
import { runCli } from './helpers/buffer-io';
import { useTempDir } from './helpers/data-files';
import { makeCharacterDevice, makeFifo } from './helpers/special-files';

describe('non-regular files', () => {
  const tempDir = useTempDir();

  describe('writeFileAtomic and whyNotWritable', () => {
    it('refuse a character device, naming the path and its kind, and leave it a device', function () {
      const device = makeCharacterDevice(this, tempDir());
      const problem = `${device} is a character device, expected a regular file`;
      expect(whyNotWritable(device)).to.equal(problem);
      expect(() => writeFileAtomic(device, 'x')).to.throw(Error, `cannot write ${device}: ${problem}`);
      expect(() => save({ w: tensor([1]) }, device)).to.throw(Error, problem);
      expect(lstatSync(device).isCharacterDevice()).to.equal(true);
      expect(readdirSync(tempDir())).to.deep.equal(['null']);
    });

    it('refuse a FIFO, naming the path and its kind, and leave it a FIFO', () => {
      const fifo = makeFifo(tempDir());
      const problem = `${fifo} is a FIFO (named pipe), expected a regular file`;
      expect(whyNotWritable(fifo)).to.equal(problem);
      expect(() => writeFileAtomic(fifo, 'x')).to.throw(Error, `cannot write ${fifo}: ${problem}`);
      expect(lstatSync(fifo).isFIFO()).to.equal(true);
      expect(readdirSync(tempDir())).to.deep.equal(['fifo']);
    });

    it('follow a symlink to a regular file: the file it leads to is replaced, the link kept', () => {
      const target = join(tempDir(), 'elsewhere.txt');
      writeFileSync(target, 'old');
      const link = join(tempDir(), 'out.txt');
      symlinkSync(target, link);
      expect(whyNotWritable(link)).to.equal(undefined);
      writeFileAtomic(link, 'report');
      expect(lstatSync(link).isSymbolicLink()).to.equal(true);
      expect(readFileSync(target, 'utf8')).to.equal('report');
      expect(readdirSync(tempDir()).sort()).to.deep.equal(['elsewhere.txt', 'out.txt']);
    });

    it('refuse a symlink to a FIFO, a directory or nothing, naming the link and what it leads to', () => {
      const fifo = makeFifo(tempDir());
      const cases: Array<[string, string]> = [
        [fifo, `which is a FIFO (named pipe); expected a regular file`],
        [tempDir(), `which is a directory; expected a regular file`],
      ];
      for (const [target, problem] of cases) {
        const link = join(tempDir(), `to-${cases.findIndex(([t]) => t === target)}`);
        symlinkSync(target, link);
        expect(whyNotWritable(link)).to.equal(`${link} is a symlink to ${target}, ${problem}`);
        expect(() => writeFileAtomic(link, 'x')).to.throw(Error, `cannot write ${link}: ${link} is a symlink to ${target}, ${problem}`);
        expect(lstatSync(link).isSymbolicLink()).to.equal(true);
      }
      const dangling = join(tempDir(), 'dangling');
      symlinkSync(join(tempDir(), 'nowhere'), dangling);
      const problem = `${dangling} is a symlink to ${join(tempDir(), 'nowhere')}, which does not exist; expected a regular file`;
      expect(whyNotWritable(dangling)).to.equal(problem);
      expect(() => writeFileAtomic(dangling, 'x')).to.throw(Error, problem);
      expect(readdirSync(tempDir()).sort()).to.deep.equal(['dangling', 'fifo', 'to-0', 'to-1']);
    });
  });

  describe('the CLI refuses such an output before reading any data', () => {
    // The data files do not exist: reading them would fail with another message.
    const data = (dir: string): string[] =>
      ['train-images', 'train-labels', 'test-images', 'test-labels'].flatMap((flag) => [`--${flag}`, join(dir, 'never-read')]);

    it('train --save to a character device', async function () {
      const device = makeCharacterDevice(this, tempDir());
      const result = await runCli('train', '--limit', '64', '--test-limit', '64', '--save', device, ...data(tempDir()));
      expect(result.code).to.equal(2);
      expect(result.err).to.equal(
        `dropgrad: --save: cannot write ${JSON.stringify(device)}: ${device} is a character device, expected a regular file\n`,
      );
      expect(result.out).to.equal('');
      expect(lstatSync(device).isCharacterDevice()).to.equal(true);
    });

    it('visualize --out to a FIFO and to a character device', async function () {
      const fifo = makeFifo(tempDir());
      const fifoResult = await runCli('visualize', '--out', fifo, '--data', join(tempDir(), 'never-read'));
      expect(fifoResult.code).to.equal(2);
      expect(fifoResult.err).to.contain(
        `--out: cannot write ${JSON.stringify(fifo)}: ${fifo} is a FIFO (named pipe), expected a regular file`,
      );
      expect(lstatSync(fifo).isFIFO()).to.equal(true);
      const device = makeCharacterDevice(this, tempDir());
      const deviceResult = await runCli('visualize', '--out', device, '--data', join(tempDir(), 'never-read'));
      expect(deviceResult.code).to.equal(2);
      expect(deviceResult.err).to.contain(`${device} is a character device, expected a regular file`);
      expect(lstatSync(device).isCharacterDevice()).to.equal(true);
    });
  });

  describe('load refuses what is not a regular file at once', () => {
    it('a FIFO (opening it for reading would wait for a writer)', () => {
      const fifo = makeFifo(tempDir());
      expect(() => load(fifo)).to.throw(
        Error,
        `readSafetensors: cannot read ${fifo}: ${fifo} is a FIFO (named pipe), expected a regular file`,
      );
    });

    it('a character device such as /dev/zero (it would be read forever)', function () {
      const zero = makeCharacterDevice(this, tempDir(), { name: 'zero', zero: true });
      expect(() => load(zero)).to.throw(
        Error,
        `readSafetensors: cannot read ${zero}: ${zero} is a character device, expected a regular file`,
      );
    });
  });
});
