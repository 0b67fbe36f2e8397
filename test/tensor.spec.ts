import { expect } from 'chai';
import { Tensor, nn, tensor, zeros, ones, full, arange, eye, rand, randn, zerosLike } from '../index';
import { transposedLeaf } from './helpers/inputs';

describe('Tensor', () => {
  it('holds shape, strides, dtype and data', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.shape).to.deep.equal([2, 3]);
    expect(x.strides).to.deep.equal([3, 1]);
    expect(x.dtype).to.equal('float64');
    expect(x.data).to.be.instanceOf(Float64Array);
    expect(Array.from(x.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(x.ndim).to.equal(2);
    expect(x.numel).to.equal(6);
    expect(x.isContiguous).to.equal(true);
  });

  it('reads a transposed view in row-major order and copies it contiguously', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const t = transposedLeaf(x);
    expect(t.shape).to.deep.equal([3, 2]);
    expect(t.isContiguous).to.equal(false);
    expect(Array.from(t.data)).to.deep.equal([1, 4, 2, 5, 3, 6]);
    expect(t.toArray()).to.deep.equal([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(t.contiguousStorage().isContiguous).to.equal(true);
    x.data[1] = 20; // the view shares storage
    expect(t.toArray()).to.deep.equal([
      [1, 4],
      [20, 5],
      [3, 6],
    ]);
  });

  it('storage is the live typed array of a contiguous tensor, and a view refuses it', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    x.storage[4] = -5;
    expect(x.toArray()).to.deep.equal([
      [1, 2, 3],
      [4, -5, 6],
    ]);
    expect(() => transposedLeaf(x).storage).to.throw(
      'storage: a view (shape [3,2], strides [1,3]) has no storage of its own; use contiguous() for a copy',
    );
    expect(transposedLeaf(x).contiguous().storage).to.deep.equal(Float64Array.of(1, 4, 2, -5, 3, 6));
  });

  it('is made over any strided view of a typed array, sharing it', () => {
    const data = Float32Array.of(0, 1, 2, 3, 4, 5, 6);
    const x = new Tensor({ data, shape: [2, 3], stride: [1, 2], offset: 1 });
    expect(x.toArray()).to.deep.equal([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(x.dtype).to.equal('float32');
    data[1] = 10;
    expect(x.toArray()).to.deep.equal([
      [10, 3, 5],
      [2, 4, 6],
    ]);
  });

  it('item() returns the single value and names the shape otherwise', () => {
    expect(tensor(3.5).item()).to.equal(3.5);
    expect(tensor([[7]]).item()).to.equal(7);
    expect(() => tensor([1, 2]).item()).to.throw('item: only a one-element tensor converts to a number, got shape [2]');
  });

  it('converts typed arrays and flat lists with a shape, and keeps float32', () => {
    const f = tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(f.dtype).to.equal('float32');
    expect(f.toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).to.deep.equal([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor([1, 2], { dtype: 'float32' }).data).to.be.instanceOf(Float32Array);
  });

  it('rejects ragged data, wrong sizes and unknown dtypes with the details', () => {
    expect(() => tensor([[1, 2], [3]])).to.throw('tensor: ragged nested array at [1] (expected length 2 as in [2,2])');
    expect(() => tensor(new Float64Array(5), { shape: [2, 2] })).to.throw('tensor: 5 values cannot take shape [2,2] (4 needed)');
    expect(() => zeros([2], { dtype: 'int8' as 'float32' })).to.throw(`zeros: dtype must be 'float64' or 'float32', got "int8"`);
    expect(() => zeros([2, -1])).to.throw('zeros: shape [2,-1] must hold non-negative integers');
  });

  it('refuses an unknown dtype on every path that allocates, not only in the creation functions (Linear took float16 as float32)', () => {
    const float16 = { dtype: 'float16' as 'float32' };
    expect(() => new nn.Linear(2, 2, float16)).to.throw(TypeError, `dtype must be 'float64' or 'float32', got "float16"`);
    expect(() => new nn.Conv2d(1, 1, 3, float16)).to.throw(TypeError, `dtype must be 'float64' or 'float32', got "float16"`);
  });

  it('creates constants and ranges', () => {
    expect(zeros([2]).toArray()).to.deep.equal([0, 0]);
    expect(ones([1, 2]).toArray()).to.deep.equal([[1, 1]]);
    expect(full([2], 7, { dtype: 'float32' }).toArray()).to.deep.equal([7, 7]);
    expect(arange(4).toArray()).to.deep.equal([0, 1, 2, 3]);
    expect(arange(1, 2, 0.25).toArray()).to.deep.equal([1, 1.25, 1.5, 1.75]);
    expect(eye(2).toArray()).to.deep.equal([
      [1, 0],
      [0, 1],
    ]);
    expect(zerosLike(randn([2, 3], { dtype: 'float32' })).dtype).to.equal('float32');
    expect(() => arange(0, 1, 0)).to.throw('arange: step must be finite and non-zero, got 0');
  });

  it('prints a readable summary', () => {
    expect(String(tensor([1, 2], { requiresGrad: true }))).to.equal('tensor([1,2], shape=[2], dtype=float64, requiresGrad=true)');
    expect(new Tensor(zeros([100]).nd).toString()).to.contain('<100 values>');
  });

  it('refuses a .grad of another shape or dtype, naming both (PyTorch: "assigned grad has data of a different size / type")', () => {
    const p = zeros([10], { requiresGrad: true });
    expect(() => {
      p.grad = ones([5]);
    }).to.throw(RangeError, 'grad: cannot assign a gradient of shape [5] for a tensor of shape [10] (data of a different size)');
    expect(() => {
      p.grad = ones([2, 5]);
    }).to.throw('a gradient of shape [2,5] for a tensor of shape [10]');
    expect(() => {
      p.grad = ones([10], { dtype: 'float32' });
    }).to.throw(TypeError, 'grad: cannot assign a float32 gradient for a float64 tensor (data of a different type)');
    expect(() => {
      p.grad = [1, 2] as never;
    }).to.throw(TypeError, 'grad: the assigned gradient must be a Tensor or null, got [1,2]');
    expect(p.grad).to.equal(null);
    p.grad = ones([10]);
    expect(Array.from(p.grad.data)).to.deep.equal(new Array(10).fill(1));
    p.grad = null;
    expect(p.grad).to.equal(null);
  });
});

describe('shape validation (one rule for every path that takes a shape)', () => {
  const square = [
    [1, 2],
    [3, 4],
  ];
  it('refuses negative, fractional and non-finite sizes, naming the function, the argument and the value', () => {
    expect(() => tensor(square, { shape: [-2, -2] })).to.throw(
      RangeError,
      'tensor: shape [-2,-2] must hold non-negative integers, got -2 at dim 0',
    );
    expect(() => tensor(square, { shape: [0.5, 8] })).to.throw(
      RangeError,
      'tensor: shape [0.5,8] must hold non-negative integers, got 0.5 at dim 0',
    );
    expect(() => tensor([1, 2, 3, 4], { shape: [4, NaN] })).to.throw(
      RangeError,
      'tensor: shape [4,NaN] must hold non-negative integers, got NaN at dim 1',
    );
    expect(() => Tensor.fromData(new Float64Array(4), [-1, -4])).to.throw(
      RangeError,
      'Tensor.fromData: shape [-1,-4] must hold non-negative integers, got -1 at dim 0',
    );
    expect(() => zeros([2, -1])).to.throw(RangeError, 'zeros: shape [2,-1] must hold non-negative integers, got -1 at dim 1');
    expect(() => ones([1.5])).to.throw(RangeError, 'ones: shape [1.5] must hold');
    expect(() => full([Infinity], 1)).to.throw(RangeError, 'full: shape [Infinity] must hold');
    expect(() => rand([2, 0.5])).to.throw(RangeError, 'rand: shape [2,0.5] must hold');
    expect(() => randn([-1])).to.throw(RangeError, 'randn: shape [-1] must hold');
  });

  it('refuses a shape that is not an array of numbers', () => {
    expect(() => zeros(3 as unknown as number[])).to.throw(TypeError, 'zeros: shape must be an array of sizes, got 3');
    expect(() => tensor(square, { shape: '2,2' as unknown as number[] })).to.throw(
      TypeError,
      'tensor: shape must be an array of sizes, got "2,2"',
    );
    expect(() => randn([2, '3'] as unknown as number[])).to.throw(
      RangeError,
      'randn: shape [2,3] must hold non-negative integers, got "3" at dim 1',
    );
  });

  it('refuses reshape/view/expand targets with bad sizes, allowing -1 only where it means something', () => {
    const x = randn([4]);
    expect(() => x.reshape([-2, -2])).to.throw(RangeError, 'reshape: shape [-2,-2] must hold non-negative integers or -1, got -2 at dim 0');
    expect(() => x.view([0.5, 8])).to.throw(RangeError, 'reshape: shape [0.5,8] must hold non-negative integers or -1, got 0.5 at dim 0');
    expect(() => x.reshape([-1, -1])).to.throw(RangeError, 'reshape: shape [-1,-1] may infer at most 1 size (-1), got 2');
    expect(() => randn([1, 2]).expand([1.5, 2])).to.throw(
      RangeError,
      'expand: shape [1.5,2] must hold non-negative integers or -1, got 1.5 at dim 0',
    );
    expect(x.reshape([2, -1]).shape).to.deep.equal([2, 2]);
    expect(randn([1, 2]).expand([3, -1]).shape).to.deep.equal([3, 2]);
  });

  it('refuses a size too large for one typed array before allocating, naming the size', () => {
    expect(() => randn([1e10])).to.throw(
      RangeError,
      'randn: shape [10000000000] has 10000000000 elements, more than the 4294967296 one typed array can hold',
    );
    expect(() => zeros([65536, 65536, 2])).to.throw(RangeError, 'zeros: shape [65536,65536,2] has 8589934592 elements');
  });
});
