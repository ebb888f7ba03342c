// Entry of the scan's worker threads (bundled to dist/scan-worker.js): read, prefilter and parse
// the files of each batch, and answer with their outcomes (facts, never texts or ASTs).
import { parentPort, workerData } from 'node:worker_threads';
import { FileReader, type Outcome } from './analyze/code/file-outcome.js';
import { candidateClassifier } from './analyze/code/source.js';

export interface ScanBatch {
  id: number;
  files: string[];
  /** Parse every file, whatever it contains (import closure, companions). */
  all: boolean;
}

const reader = new FileReader();
const classify = candidateClassifier();
const root = (workerData as { root: string }).root;
// Batches run one after another, in arrival order, even though parsing awaits the parser's load.
let queue = Promise.resolve();
parentPort?.on('message', (batch: ScanBatch) => {
  queue = queue.then(async () => {
    const results: [string, Outcome][] = [];
    for (const file of batch.files) {
      const o = await reader.outcome(root, file, batch.all ? null : classify);
      if (o.kind !== 'plain') results.push([file, o]);
    }
    parentPort?.postMessage({ id: batch.id, results });
  });
});
