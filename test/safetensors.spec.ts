import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, tensor } from '../index';
import { decodeSafetensors } from '../app/serialization/safetensors/decode';
import { encodeSafetensors } from '../app/serialization/safetensors/encode';

/** A file from a header object and a data buffer, built by hand per the format. */
function fileWith(header: unknown, data: Uint8Array = new Uint8Array(0), headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The header JSON of encoded bytes, read by hand. */
function headerOf(bytes: Uint8Array): { length: number; text: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, text: new TextDecoder().decode(bytes.subarray(8, 8 + length)) };
}

const values = (t: Tensor): number[] => Array.from(t.data);

describe('safetensors encoding', () => {
  it('round-trips float64 and float32 tensors with dotted names, a 0-d scalar and an empty tensor', () => {
    const state = {
      'layer1.0.conv1.weight': tensor([[[[0.1, -2]]], [[[1e-300, 2 ** 60]]]]),
      'layer1.0.bn1.running_mean': tensor([0.5, -1.5, 3], { dtype: 'float32' }),
      'layer1.0.bn1.num_batches_tracked': tensor(7),
      'head.empty': Tensor.fromData(new Float32Array(0), [0, 3]),
    };
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(state, { epoch: '4' }));
    expect(Object.keys(tensors)).to.deep.equal(Object.keys(state));
    for (const [name, t] of Object.entries(state)) {
      expect(tensors[name].shape, name).to.deep.equal(t.shape);
      expect(tensors[name].dtype, name).to.equal(t.dtype);
      expect(values(tensors[name]), name).to.deep.equal(values(t));
    }
    expect(tensors['layer1.0.bn1.num_batches_tracked'].item()).to.equal(7);
    expect(metadata).to.deep.equal({ epoch: '4' });
  });

  it('round-trips any tensor name, "__proto__" and "constructor" included, empty or not', () => {
    for (const shape of [[2], [0, 3]]) {
      const state = JSON.parse('{}') as Record<string, Tensor>;
      // Defined as own properties: a plain assignment to "__proto__" would set the prototype.
      for (const name of ['__proto__', 'constructor', 'toString', 'a.b']) {
        Object.defineProperty(state, name, {
          value: Tensor.fromData(new Float64Array(shape[0] * (shape[1] ?? 1)).fill(1.5), shape),
          enumerable: true,
        });
      }
      const bytes = encodeSafetensors(state);
      expect(Object.keys(JSON.parse(headerOf(bytes).text)), `shape [${shape}]`).to.have.members([
        '__proto__',
        'constructor',
        'toString',
        'a.b',
      ]);
      const { tensors } = decodeSafetensors(bytes);
      expect(Object.keys(tensors)).to.deep.equal(['__proto__', 'constructor', 'toString', 'a.b']);
      const protoNamed: unknown = Object.getOwnPropertyDescriptor(tensors, '__proto__')?.value;
      expect(protoNamed).to.be.instanceOf(Tensor);
      expect((protoNamed as Tensor).shape).to.deep.equal(shape);
      expect(values(tensors.constructor as unknown as Tensor)).to.deep.equal(new Array(shape[0] * (shape[1] ?? 1)).fill(1.5));
    }
  });

  it('writes the layout of the format: u64 header length, space-padded JSON, aligned little-endian data', () => {
    const bytes = encodeSafetensors({ odd: tensor([1, 2, 3], { dtype: 'float32' }), wide: tensor([-0.5]) }, { note: 'x' });
    const { length, text } = headerOf(bytes);
    expect(length % 8).to.equal(0);
    expect(text.trimEnd().length).to.be.above(length - 8);
    expect(text.slice(text.trimEnd().length)).to.match(/^ *$/);
    const header = JSON.parse(text);
    // The float64 goes first so both tensors start at a multiple of their element size.
    expect(header).to.deep.equal({
      __metadata__: { note: 'x' },
      odd: { dtype: 'F32', shape: [3], data_offsets: [8, 20] },
      wide: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
    });
    const data = new DataView(bytes.buffer, 8 + length);
    expect(data.byteLength).to.equal(20);
    expect(data.getFloat64(0, true)).to.equal(-0.5);
    expect([8, 12, 16].map((o) => data.getFloat32(o, true))).to.deep.equal([1, 2, 3]);
  });

  it('reads non-contiguous tensors in row-major order', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).transpose(0, 1);
    expect(values(decodeSafetensors(encodeSafetensors({ t })).tensors.t)).to.deep.equal([1, 4, 2, 5, 3, 6]);
  });

  it('decodes the reference file written by scripts/fixtures/safetensors.py, every dtype', () => {
    const { tensors, metadata } = decodeSafetensors(readFileSync(join(__dirname, 'fixtures', 'reference.safetensors')));
    expect(metadata).to.deep.equal({ format: 'pt', epoch: '3' });
    const expected: Record<string, [string, number[], number[]]> = {
      'layer1.0.conv1.weight': ['float64', [2, 3], [0.5, -1.25, 3, 1e-300, -0, 2 ** 60]],
      'layer1.0.bn1.running_mean': ['float32', [3], [0.1, -2.5, 7].map(Math.fround)],
      'layer1.0.bn1.num_batches_tracked': ['float64', [], [12345678901]],
      empty: ['float32', [0, 4], []],
      'ints.i32': ['float64', [2, 2], [-2147483648, 7, 0, 2147483647]],
      'ints.i16': ['float64', [2], [-32768, 32767]],
      'ints.i8': ['float64', [2], [-128, 5]],
      'ints.u8': ['float64', [3], [0, 200, 255]],
      flags: ['float64', [3], [1, 0, 1]],
      half: ['float32', [4], [1.5, -0.0999755859375, 65504, 2 ** -24]],
    };
    expect(Object.keys(tensors).sort()).to.deep.equal(Object.keys(expected).sort());
    for (const [name, [dtype, shape, numbers]] of Object.entries(expected)) {
      expect([tensors[name].dtype, tensors[name].shape], name).to.deep.equal([dtype, shape]);
      expect(values(tensors[name]), name).to.deep.equal(numbers);
    }
    expect(Object.is(tensors['layer1.0.conv1.weight'].data[4], -0)).to.equal(true);
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    const bytes = fileWith({ ['__proto__']: { dtype: 'F64', shape: [], data_offsets: [0, 8] } }, new Uint8Array(8));
    const { tensors } = decodeSafetensors(bytes);
    expect(Object.getPrototypeOf(tensors)).to.equal(Object.prototype);
    expect(Object.keys(tensors)).to.deep.equal(['__proto__']);
  });

  it('refuses a name reserved for metadata and non-string metadata', () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).to.throw('encodeSafetensors: __metadata__ is reserved for metadata');
    expect(() => encodeSafetensors({}, { epoch: 3 } as unknown as Record<string, string>)).to.throw(
      'encodeSafetensors: __metadata__.epoch must be a string',
    );
  });
});

describe('safetensors decoding refuses corrupted files', () => {
  const f64 = (shape: number[], begin: number, end: number): object => ({ dtype: 'F64', shape, data_offsets: [begin, end] });
  const refuse = (bytes: Uint8Array, message: string | RegExp): Chai.Assertion =>
    expect(() => decodeSafetensors(bytes, 'm.safetensors')).to.throw(message);

  it('a header length larger than the file, or no room for it', () => {
    const bytes = fileWith({});
    new DataView(bytes.buffer).setBigUint64(0, 1000n, true);
    refuse(bytes, 'decodeSafetensors: m.safetensors is truncated or corrupt: the header length is 1000 bytes, but only 2 bytes follow it');
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    refuse(bytes, 'the header length is 9223372036854775808 bytes');
    refuse(new Uint8Array(5), 'decodeSafetensors: m.safetensors is truncated: 5 bytes cannot hold the 8-byte header length');
  });

  it('a header that is not a JSON object, or holds bad metadata', () => {
    refuse(fileWith(null, undefined, '{"a": '), /^decodeSafetensors: m\.safetensors has an invalid header \(not UTF-8 JSON\)/);
    const notUtf8 = fileWith(null, undefined, '"a"     ');
    notUtf8[9] = 0xff;
    refuse(notUtf8, /has an invalid header \(not UTF-8 JSON\): The encoded data was not valid for encoding utf-8/);
    refuse(fileWith([1, 2]), 'decodeSafetensors: m.safetensors has an invalid header: expected a JSON object');
    refuse(fileWith({ __metadata__: { epoch: 3 } }), '__metadata__.epoch must be a string');
  });

  it('an unknown dtype, a bad shape, or malformed offsets', () => {
    refuse(
      fileWith({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      'decodeSafetensors: m.safetensors: tensor "w" has unsupported dtype "C64" (dropgrad reads F64, F32, F16, I64, I32, I16, I8, U8, BOOL)',
    );
    refuse(fileWith({ w: f64([-1], 0, 8) }, new Uint8Array(8)), 'tensor "w" has shape [-1], expected a list of non-negative integers');
    refuse(
      fileWith({ w: f64([1], 8, 0) }, new Uint8Array(8)),
      'tensor "w" has data_offsets [8,0], expected [begin, end] with 0 ≤ begin ≤ end',
    );
    refuse(fileWith({ w: 5 }), 'tensor "w" has header entry 5, expected { dtype, shape, data_offsets }');
  });

  it('a header that lies about sizes: offsets that do not span shape × dtype bytes', () => {
    refuse(
      fileWith({ w: f64([2, 3], 0, 40) }, new Uint8Array(40)),
      'decodeSafetensors: m.safetensors: tensor "w" spans 40 bytes, but shape [2,3] of F64 needs 48',
    );
  });

  it('a truncated file: offsets past the end of the data', () => {
    const whole = encodeSafetensors({ a: tensor([1, 2]), b: tensor([3, 4]) });
    refuse(
      whole.subarray(0, whole.length - 8),
      'tensor "b" has data_offsets [16, 32] past the end of the 24-byte data buffer (file truncated?)',
    );
  });

  it('overlapping tensors, holes between them and trailing bytes', () => {
    refuse(fileWith({ a: f64([2], 0, 16), b: f64([1], 8, 16) }, new Uint8Array(16)), 'tensor "b" at bytes [8, 16) overlaps tensor "a"');
    refuse(
      fileWith({ a: f64([1], 0, 8), b: f64([1], 16, 24) }, new Uint8Array(24)),
      'bytes [8, 16) of the data belong to no tensor (a hole after tensor "a")',
    );
    refuse(
      fileWith({ a: f64([1], 8, 16) }, new Uint8Array(16)),
      'bytes [0, 8) of the data belong to no tensor (a hole after the start of the data)',
    );
    refuse(
      fileWith({ a: f64([1], 0, 8) }, new Uint8Array(12)),
      'decodeSafetensors: m.safetensors has 4 trailing bytes after the last tensor',
    );
  });

  it('a key twice, at the top or inside an entry (JSON.parse would keep the last), naming the key and the file', () => {
    const data = new Uint8Array(16);
    const entry = '{"dtype":"F64","shape":[1],"data_offsets":[0,8]}';
    refuse(
      fileWith(null, data, `{"w":${entry},"w":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`),
      'decodeSafetensors: m.safetensors has the key "w" twice in its header; a key must appear once',
    );
    refuse(
      fileWith(null, data.subarray(0, 8), '{"w":{"dtype":"F32","shape":[1],"dtype":"F64","data_offsets":[0,8]}}'),
      'decodeSafetensors: m.safetensors has the key "dtype" twice in "w"; a key must appear once',
    );
    // Compared once unescaped: "\u0065poch" is "epoch"; the quote escaped inside "a\"b" does not end it.
    refuse(
      fileWith(null, data.subarray(0, 8), `{"__metadata__":{"epoch":"1","a\\"b":"x","\\u0065poch":"2"},"w":${entry}}`),
      'has the key "epoch" twice in "__metadata__"',
    );
    // The same key in two different objects is fine.
    const fine = fileWith(null, data.subarray(0, 8), `{"__metadata__":{"w":"1"},"w":${entry}}`);
    expect(Object.keys(decodeSafetensors(fine).tensors)).to.deep.equal(['w']);
  });
});

describe('decodeSafetensors arguments', () => {
  it('refuses bytes that are not a Uint8Array with a TypeError naming the argument and the value', () => {
    for (const [value, shown] of [
      ['a string', '"a string"'],
      [null, 'null'],
      [[1, 2], '[1,2]'],
    ] as const) {
      expect(() => decodeSafetensors(value as unknown as Uint8Array)).to.throw(
        TypeError,
        `decodeSafetensors: bytes must be a Uint8Array, got ${shown}`,
      );
    }
  });
});
