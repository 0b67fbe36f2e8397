import type { DataRequest, DataSplits } from '../data/data-splits';
import type { CliEntry } from './process-pool';

/** How an experiment whose runs can be spread over child processes gets its data and its processes. */
export interface RunOptions<Task, Result> {
  /** The data as requested (what a child process loads) and as loaded here. */
  request: DataRequest;
  data: DataSplits;
  /** Processes the runs are spread over. */
  jobs: number;
  /** How a child process starts the CLI (default: this process's own command line). */
  cli?: CliEntry;
  /** Hears of each run as it ends. */
  onResult?: (result: Result, task: Task) => void;
  /** Where the child processes' own output goes. */
  log: (text: string) => void;
}
