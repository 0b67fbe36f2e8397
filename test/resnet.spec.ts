import { expect } from 'chai';
import { manualSeed, randn } from '../index';
import { resnet } from '../nn/models/resnet';
import { BasicBlock } from '../nn/models/basic-block';
import { Bottleneck } from '../nn/models/bottleneck';
import { DropBlock2d } from '../nn/drop/dropblock';

describe('resnet()', () => {
  beforeEach(() => manualSeed(13));

  it('builds stages that halve the resolution and classify', () => {
    const model = resnet({ layers: [1, 1, 1], widths: [4, 8, 16] });
    expect(model.forward(randn([2, 1, 12, 12])).shape).to.deep.equal([2, 10]);
    expect(Object.keys(model.stateDict())).to.include.members([
      'conv1.weight',
      'stages.0.0.conv1.weight',
      'stages.1.0.downsample.conv.weight',
      'fc.bias',
    ]);
  });

  it("assigns the paper's linearly decaying survival probabilities over all blocks", () => {
    const model = resnet({ layers: [2, 2], widths: [4, 8], stochasticDepth: { pL: 0.5 } });
    const blocks = model.modules().filter((m): m is BasicBlock => m instanceof BasicBlock);
    expect(blocks.map((b) => b.depth.survivalProb)).to.deep.equal([0.875, 0.75, 0.625, 0.5]);
  });

  it('builds bottleneck stages with 4× expansion and optional DropBlock after chosen stages', () => {
    const model = resnet({ block: 'bottleneck', layers: [1, 1], widths: [4, 8], dropBlock: { stages: [2], p: 0.1, blockSize: 3 } });
    expect(model.modules().filter((m) => m instanceof Bottleneck)).to.have.length(2);
    expect(model.fc.inFeatures).to.equal(32);
    expect(model.dropBlocks()).to.have.length(1);
    expect(model.dropBlocks()[0]).to.be.instanceOf(DropBlock2d);
    expect(model.forward(randn([2, 1, 8, 8])).shape).to.deep.equal([2, 10]);
  });

  it('refuses mismatched stage lists', () => {
    expect(() => resnet({ layers: [1, 1], widths: [4] })).to.throw(
      'resnet: layers [1,1] and widths [4] must be non-empty and of the same length',
    );
  });

  it('names a bad block kind, stage size or DropBlock stage instead of ignoring it', () => {
    expect(() => resnet({ block: 'Bottleneck' as never })).to.throw("resnet: block must be 'basic' or 'bottleneck', got \"Bottleneck\"");
    expect(() => resnet({ layers: [2, 0, 2] })).to.throw('resnet: layers[1] must be a positive integer, got 0');
    expect(() => resnet({ dropBlock: { p: 0.1, stages: [4] } })).to.throw('resnet: dropBlock.stages[0] must be a stage number 1..3, got 4');
    expect(() => resnet({ dropBlock: { p: 0.1, stages: [1.5] } })).to.throw(
      'resnet: dropBlock.stages[0] must be a stage number 1..3, got 1.5',
    );
  });
});
