import { expect } from 'chai';
import { readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, nn, optim, randn, tensor, Tensor } from '../index';
import { load, loadInto, readSafetensors, save } from '../app/serialization/safetensors-file';
import { encodeSafetensors } from '../app/serialization/safetensors/encode';
import { useTempDir } from './helpers/data-files';

const model = (seed: number): nn.Sequential => {
  const generator = new Generator(seed);
  return new nn.Sequential(new nn.Linear(3, 4, { generator }), new nn.BatchNorm1d(4), new nn.ReLU(), new nn.Linear(4, 2, { generator }));
};

const snapshot = (m: nn.Module): Record<string, number[]> =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));

describe('safetensors files', () => {
  const tempDir = useTempDir();

  it('saves a module and loads it into another, PyTorch-style keys and all', () => {
    const source = model(1);
    source.train().forward(randn([5, 3])); // moves the BatchNorm running statistics
    const path = join(tempDir(), 'model.safetensors');
    save(source, path);
    expect(readdirSync(tempDir())).to.deep.equal(['model.safetensors']);
    expect(Object.keys(load(path))).to.deep.equal([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '1.running_mean',
      '1.running_var',
      '1.num_batches_tracked',
      '3.weight',
      '3.bias',
    ]);
    const target = model(2);
    expect(snapshot(target)).to.not.deep.equal(snapshot(source));
    const result = loadInto(target, path);
    expect(snapshot(target)).to.deep.equal(snapshot(source));
    expect(result).to.deep.equal({ missingKeys: [], unexpectedKeys: [], metadata: {} });
  });

  it('saves a plain state dict, and resumes a checkpoint from the metadata', () => {
    const net = model(3);
    const optimizer = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    for (const p of net.parameters()) p.grad = Tensor.fromData(new Float64Array(p.numel).fill(0.5), p.shape);
    optimizer.step();
    const generator = new Generator(11);
    generator.random();
    const path = join(tempDir(), 'ckpt.safetensors');
    save(net.stateDict(), path, {
      metadata: { epoch: '5', optimizer: JSON.stringify(optimizer.stateDict()), generator: JSON.stringify(generator.getState()) },
    });

    const resumed = model(4);
    const { metadata } = loadInto(resumed, path);
    const resumedOptimizer = new optim.SGD(resumed.parameters(), { lr: 1 });
    resumedOptimizer.loadStateDict(JSON.parse(metadata.optimizer));
    const resumedGenerator = new Generator().setState(JSON.parse(metadata.generator));
    expect(Number(metadata.epoch)).to.equal(5);
    expect(resumedOptimizer.stateDict()).to.deep.equal(optimizer.stateDict());
    expect([resumedGenerator.random(), resumedGenerator.normal()]).to.deep.equal([generator.random(), generator.normal()]);
    expect(snapshot(resumed)).to.deep.equal(snapshot(net));
  });

  it('loadInto refuses a file that does not fit the module and leaves the module untouched', () => {
    const net = model(5);
    const before = snapshot(net);
    const wrongShape = join(tempDir(), 'wide.safetensors');
    save(
      {
        ...net.stateDict(),
        '3.weight': tensor([
          [1, 2, 3, 4, 5],
          [6, 7, 8, 9, 10],
        ]),
      },
      wrongShape,
    );
    expect(() => loadInto(net, wrongShape)).to.throw('loadStateDict: 3.weight has shape [2,5] in the state dict, [2,4] in the module');
    const missing = join(tempDir(), 'missing.safetensors');
    const { '1.running_var': _dropped, ...partial } = model(6).stateDict();
    save(partial, missing);
    expect(() => loadInto(net, missing)).to.throw('missing keys: 1.running_var');
    expect(snapshot(net)).to.deep.equal(before);
  });

  it('loadInto validates the whole file before touching the module: a truncated file changes nothing', () => {
    const net = model(7);
    const before = snapshot(net);
    const bytes = encodeSafetensors(model(8).stateDict());
    const path = join(tempDir(), 'cut.safetensors');
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    expect(() => loadInto(net, path)).to.throw(
      `decodeSafetensors: ${path} is truncated: its header declares ${bytes.length} bytes in all, the file holds ${bytes.length - 4}`,
    );
    expect(snapshot(net)).to.deep.equal(before);
  });

  it('a failed save leaves the previous checkpoint in place', () => {
    const path = join(tempDir(), 'model.safetensors');
    save(model(9), path);
    const previous = readFileSync(path);
    expect(() => save({ bad: [1, 2] as unknown as Tensor }, path)).to.throw('encodeSafetensors: bad is not a Tensor');
    expect(readFileSync(path).equals(previous)).to.equal(true);
    expect(readSafetensors(path).tensors['0.weight'].shape).to.deep.equal([4, 3]);
    expect(readdirSync(tempDir())).to.deep.equal(['model.safetensors']);
  });

  it("names a bad path or a bad module instead of an engine message (rename '' -> '', loadStateDict is not a function)", () => {
    expect(() => save(model(1), '')).to.throw(Error, 'cannot write "": expected a file name, got an empty path');
    const path = join(tempDir(), 'model.safetensors');
    save(model(1), path);
    expect(() => loadInto(5 as unknown as nn.Module, path)).to.throw(
      TypeError,
      'loadInto: module must be a Module (with loadStateDict), got 5',
    );
  });

  describe('reads no more than the header declares', () => {
    /** A file whose header names one F64 tensor `w` of `count` elements, followed by `data`. */
    const declaring = (count: number, data: Uint8Array): Uint8Array => {
      const header = new TextEncoder().encode(JSON.stringify({ w: { dtype: 'F64', shape: [count], data_offsets: [0, 8 * count] } }));
      const bytes = new Uint8Array(8 + header.length + data.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
      bytes.set(header, 8);
      bytes.set(data, 8 + header.length);
      return bytes;
    };

    it('refuses a file whose header declares more data than the file holds, with both sizes', () => {
      const path = join(tempDir(), 'short.safetensors');
      const bytes = declaring(1_000_000, new Uint8Array(new Float64Array([1.5]).buffer));
      writeFileSync(path, bytes);
      const declared = bytes.length - 8 + 8_000_000;
      expect(() => load(path)).to.throw(
        Error,
        `decodeSafetensors: ${path} is truncated: its header declares ${declared} bytes in all, the file holds ${bytes.length}`,
      );
    });

    it('refuses a file holding more than its header declares without reading the rest (64 MB of zeros, sparse)', () => {
      const path = join(tempDir(), 'long.safetensors');
      const bytes = declaring(1, new Uint8Array(8));
      writeFileSync(path, bytes);
      truncateSync(path, 64 << 20);
      expect(() => load(path)).to.throw(
        Error,
        `decodeSafetensors: ${path} has ${(64 << 20) - bytes.length} trailing bytes: its header declares ${bytes.length} bytes in all, the file holds ${64 << 20}`,
      );
    });

    it("refuses a header length above the format's 100 MB limit before reading the header", () => {
      const path = join(tempDir(), 'huge-header.safetensors');
      const prefix = new Uint8Array(8);
      new DataView(prefix.buffer).setBigUint64(0, 150_000_000n, true);
      writeFileSync(path, prefix);
      truncateSync(path, 200_000_000); // sparse: takes no disk
      expect(() => load(path)).to.throw(
        Error,
        `decodeSafetensors: ${path} declares a 150000000-byte header, more than the format's limit of 100000000 bytes`,
      );
    });
  });
});
