/**
 * What gradcheck reports: per input that requires grad, the largest absolute and relative errors
 * over the Jacobian's entries, whether every entry is within atol + rtol·|numerical|, and the
 * worst entry by its indices; a failed report as an error (GradcheckError).
 */
import { formatShape, unravelIndex } from '../base/shape';

export interface GradcheckEntry {
  /** Which output (index into fn's outputs) and the multi-indices of the entry. */
  output: number;
  outputIndex: number[];
  inputIndex: number[];
  analytical: number;
  numerical: number;
}

export interface GradcheckInputReport {
  /** Position of this input in the `inputs` array. */
  input: number;
  shape: number[];
  maxAbsError: number;
  /** max |a − n| / max(|n|, atol) over the entries. */
  maxRelError: number;
  /** The entry furthest outside the tolerance (or closest to it, when all pass). */
  worst: GradcheckEntry | null;
  /** Some analytical or numerical entry was NaN or ±Infinity. */
  nonFinite: boolean;
  passed: boolean;
}

export interface GradcheckReport {
  passed: boolean;
  inputs: GradcheckInputReport[];
  /** A one-paragraph summary naming each failing input and its worst entry. */
  message: string;
}

export class GradcheckError extends Error {
  constructor(readonly report: GradcheckReport) {
    super(report.message);
    this.name = 'GradcheckError';
  }
}

/** One entry of the Jacobian, computed both ways. */
export interface Comparison {
  analytical: number;
  numerical: number;
  output: number;
  outputFlat: number;
  inputFlat: number;
}

/** The comparisons of one input: the largest errors, whether all passed, and the worst entry. */
export class InputTally {
  maxAbsError = 0;
  maxRelError = 0;
  nonFinite = false;
  passed = true;
  private worstScore = -Infinity;
  private worstEntry: Comparison | null = null;

  constructor(
    private readonly atol: number,
    private readonly rtol: number,
  ) {}

  add(c: Comparison): void {
    const err = Math.abs(c.analytical - c.numerical);
    const finite = Number.isFinite(c.analytical) && Number.isFinite(c.numerical);
    // An exact match passes whatever the tolerances: with atol = 0, a zero entry would score 0/0.
    const score = !finite ? Infinity : err === 0 ? 0 : err / (this.atol + this.rtol * Math.abs(c.numerical));
    if (!finite) this.nonFinite = true;
    if (!(score <= 1)) this.passed = false;
    if (finite && err > 0) {
      this.maxAbsError = Math.max(this.maxAbsError, err);
      this.maxRelError = Math.max(this.maxRelError, err / Math.max(Math.abs(c.numerical), this.atol));
    }
    if (score > this.worstScore || this.worstEntry === null) {
      this.worstScore = score;
      this.worstEntry = c;
    }
  }

  report(input: number, inputShape: number[], outputShapes: number[][]): GradcheckInputReport {
    const w = this.worstEntry;
    return {
      input,
      shape: inputShape,
      maxAbsError: this.maxAbsError,
      maxRelError: this.maxRelError,
      nonFinite: this.nonFinite,
      passed: this.passed,
      worst: w && {
        output: w.output,
        outputIndex: unravelIndex(w.outputFlat, outputShapes[w.output]),
        inputIndex: unravelIndex(w.inputFlat, inputShape),
        analytical: w.analytical,
        numerical: w.numerical,
      },
    };
  }
}

/** A failing input as the report's message names it: the kind of failure, its worst entry and the largest errors. */
export function describeInputFailure(report: GradcheckInputReport, fastMode: boolean): string {
  const w = report.worst;
  const where = !w
    ? ''
    : fastMode
      ? ` (projection v·J·u for output ${w.output})`
      : ` at output ${w.output}${formatShape(w.outputIndex)}, input index ${formatShape(w.inputIndex)}`;
  const values = w ? `: analytical ${w.analytical}, numerical ${w.numerical}` : '';
  const kind = report.nonFinite ? 'non-finite gradient' : 'Jacobian mismatch';
  return `input ${report.input} (shape ${formatShape(report.shape)}): ${kind}${where}${values}; max abs error ${report.maxAbsError.toExponential(3)}, max rel error ${report.maxRelError.toExponential(3)}`;
}
