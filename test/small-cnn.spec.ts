import { expect } from 'chai';
import { manualSeed, type nn, randn } from '../index';
import { smallCnn } from '../nn/models/small-cnn';

describe('smallCnn()', () => {
  beforeEach(() => manualSeed(14));

  it('maps 28×28 digits to 10 logits', () => {
    expect(smallCnn().forward(randn([3, 1, 28, 28])).shape).to.deep.equal([3, 10]);
  });

  it('puts each regularizer in its slot', () => {
    const kinds = (model: nn.Module): string[] => model.children().map((m) => m.constructor.name);
    expect(kinds(smallCnn({ regularizers: { dropout2d: 0.1, dropout: 0.5 } }))).to.deep.equal([
      'Conv2d',
      'BatchNorm2d',
      'ReLU',
      'Dropout2d',
      'MaxPool2d',
      'Conv2d',
      'BatchNorm2d',
      'ReLU',
      'Dropout2d',
      'MaxPool2d',
      'Flatten',
      'Dropout',
      'Linear',
      'ReLU',
      'Dropout',
      'Linear',
    ]);
    expect(kinds(smallCnn({ regularizers: { dropBlock: { p: 0.1, blockSize: 3 }, dropConnect: 0.5, uout: 0.1 } }))).to.include.members([
      'DropBlock2d',
      'DropConnectLinear',
      'Uout',
    ]);
  });

  it('refuses an image size the two pools cannot halve', () => {
    expect(() => smallCnn({ imageSize: 30 })).to.throw('smallCnn: imageSize must be divisible by 4 (two 2×2 pools), got 30');
  });
});
