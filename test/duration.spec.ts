import { expect } from 'chai';
import { formatDurationAsClock, formatDurationInUnits } from '../app/render/duration';

describe('durations as printed', () => {
  it('in units: tenths below a minute and a half, whole minutes and seconds from there, rounded before the split', () => {
    expect(formatDurationInUnits(12.34)).to.equal('12.3 s');
    expect(formatDurationInUnits(184.4)).to.equal('3 min 4 s');
    // npm run results once printed "19 min 60 s" for this.
    expect(formatDurationInUnits(1199.6)).to.equal('20 min 0 s');
  });

  it('as a clock: m:ss, h:mm:ss from an hour on, --:-- when unknown', () => {
    expect(formatDurationAsClock(59.6)).to.equal('1:00');
    expect(formatDurationAsClock(3723)).to.equal('1:02:03');
    expect(formatDurationAsClock(Number.NaN)).to.equal('--:--');
  });
});
