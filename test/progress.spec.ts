import { expect } from 'chai';
import { terminalColumns } from '../app/cli/io';
import { ProgressBar } from '../app/cli/progress';
import type { TrainProgress } from '../app/training/train-epoch';

/** A terminal `columns` wide (undefined: unknown width) that records what is written. */
function terminal(
  columns: number | undefined,
  isTTY = true,
): { write: (t: string) => void; isTTY: boolean; columns?: number; text: () => string } {
  let text = '';
  const write = (t: string): void => {
    text += t;
  };
  return { write, isTTY, columns, text: () => text };
}

const halfway: TrainProgress = { batch: 469, batches: 938, examples: 30016, loss: 0.16204, accuracy: 0.95, seconds: 126.1 };
const numbers = ['loss 0.1620', 'acc 95.00%', '238 ex/s', 'ETA 2:06'];
/** The visible text of the last redraw. */
const lastLine = (text: string): string => text.split('\r').pop()!.replace('\x1b[K', '');

describe('training progress', () => {
  for (const columns of [140, 100, 80, 60, 50]) {
    it(`fits the live line to a ${columns}-column terminal and keeps every number`, () => {
      const tty = terminal(columns);
      new ProgressBar(tty, 'epoch 1/1').update(halfway);
      const line = lastLine(tty.text());
      expect(line.length, line).to.be.at.most(columns - 1);
      for (const n of numbers) expect(line, line).to.contain(n);
      expect(line.includes('['), line).to.equal(columns >= 80);
    });
  }

  it('assumes 80 columns when the width is unknown, and cuts only when even the numbers do not fit', () => {
    const unknown = terminal(undefined);
    new ProgressBar(unknown, 'epoch 1/1').update(halfway);
    expect(lastLine(unknown.text()).length).to.be.within(60, 79);
    const narrow = terminal(30);
    new ProgressBar(narrow, 'epoch 1/1').update(halfway);
    expect(lastLine(narrow.text())).to.equal(' 50% loss 0.1620 acc 95.00% 2');
  });

  it('says "evaluating…" while the test set runs: replaced on a terminal, one line in a log', () => {
    const tty = terminal(100);
    const bar = new ProgressBar(tty, 'epoch 1/2');
    bar.update(halfway);
    bar.evaluating();
    expect(lastLine(tty.text())).to.equal('epoch 1/2 evaluating…');
    bar.finish();
    expect(tty.text().endsWith('\repoch 1/2 evaluating…\x1b[K\r\x1b[K')).to.equal(true);
    const log = terminal(undefined, false);
    const logged = new ProgressBar(log, 'epoch 1/2');
    logged.update({ ...halfway, batch: 938 });
    logged.evaluating();
    logged.finish();
    expect(log.text()).to.match(/^epoch 1\/2 100% \(938\/938\) {2}loss .*\nepoch 1\/2 evaluating…\n$/);
  });
  it("takes the terminal's width from the tty, else from $COLUMNS (a pty that reports no size, as under `script`)", () => {
    expect(terminalColumns(100, { COLUMNS: '60' })).to.equal(100);
    expect(terminalColumns(0, { COLUMNS: '60' })).to.equal(60);
    expect(terminalColumns(undefined, { COLUMNS: '60' })).to.equal(60);
    for (const junk of [undefined, '', 'wide', '-5', '0', '12.5'])
      expect(terminalColumns(0, { COLUMNS: junk }), String(junk)).to.equal(undefined);
  });
});
