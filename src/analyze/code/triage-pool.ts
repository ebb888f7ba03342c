// Reading, prefiltering and parsing are most of a large scan. ScanPool spreads them over worker
// threads (dist/scan-worker.js) that receive file batches while the walk is still running and
// answer with facts only: texts and ASTs stay in the worker that read them, so peak memory is
// bounded by the largest file per worker. Small trees are scanned on this thread (outcomesHere),
// where starting threads would cost more than it saves.
// Batches wait here and go to whichever worker has fewest in hand: a real tree's few large
// candidates cluster (webpack's lib/), and handing batches out as they were found left one
// worker parsing for a second after the other had finished (CPU profile, BENCHMARKS.md).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ScanBatch } from '../../scan-worker.js';
import type { Outcome } from './file-outcome.js';

/** Files per message: small enough that both threads stay busy when a few files are large. */
const BATCH = 48;
/** Batches a worker holds at once: one it works on and one ready, so it never waits for the next. */
const IN_HAND = 2;
/**
 * Heap limits per worker. V8's defaults let each worker's heap grow long after the file that
 * needed it was done: 336 MB peak on 40k files of real code, 270 MB with these. The densest
 * file the parser is given (512 KB) needs under 48 MB of old space (measured); a worker that
 * still runs out fails the pool, and the scan is redone on the main thread (finishWith).
 */
const LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 192 };

/** The bundled worker entry: next to the CLI bundle, above its chunks, or (tests from src/) the built one. */
function workerScript(): URL | null {
  for (const rel of ['./scan-worker.js', '../scan-worker.js', '../../../dist/scan-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  return null;
}

interface Slot {
  worker: Worker;
  busy: number;
}

interface Waiting {
  id: number;
  files: string[];
  all: boolean;
}

export class ScanPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (r: [string, Outcome][]) => void; reject: (e: unknown) => void }>();
  private readonly triaging: Promise<[string, Outcome][]>[] = [];
  private readonly waiting: Waiting[] = [];
  private nextId = 0;
  private failed: unknown = null;

  private constructor(script: URL, root: string, threads: number) {
    this.slots = Array.from({ length: threads }, () => ({ worker: new Worker(script, { workerData: { root }, resourceLimits: LIMITS }), busy: 0 }));
    for (const slot of this.slots) {
      slot.worker.on('message', ({ id, results }: { id: number; results: [string, Outcome][] }) => {
        slot.busy--;
        this.pending.get(id)?.resolve(results);
        this.pending.delete(id);
        this.dispatch();
      });
      const fail = (error: unknown): void => {
        this.failed ??= error;
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      };
      slot.worker.once('error', fail);
      slot.worker.once('exit', (code) => fail(new Error(`scan worker exited with code ${code}`)));
    }
  }

  /** A pool, or null where the worker entry is not built (the caller scans on its own thread). */
  static start(root: string, threads: number): ScanPool | null {
    const script = workerScript();
    return script ? new ScanPool(script, root, threads) : null;
  }

  private send(files: string[], all: boolean): Promise<[string, Outcome][]> {
    if (this.failed !== null) return Promise.reject(this.failed);
    const id = this.nextId++;
    const done = new Promise<[string, Outcome][]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    done.catch(() => undefined);
    this.waiting.push({ id, files, all });
    this.dispatch();
    return done;
  }

  /** Hand waiting batches, oldest first, to the workers with room for them. */
  private dispatch(): void {
    while (this.waiting.length > 0 && this.failed === null) {
      const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy >= IN_HAND) return;
      const { id, files, all } = this.waiting.shift() as Waiting;
      slot.busy++;
      slot.worker.postMessage({ id, files, all } satisfies ScanBatch);
    }
  }

  /** Queue files for the prefilter (and parsing, for candidates). */
  addAll(files: readonly string[]): this {
    for (let i = 0; i < files.length; i += BATCH) this.triaging.push(this.send(files.slice(i, i + BATCH), false));
    return this;
  }

  /** Outcomes of every queued file ('plain' files are left out). */
  async triaged(): Promise<Map<string, Outcome>> {
    return new Map((await Promise.all(this.triaging)).flat());
  }

  /** Parse files whatever they contain. */
  async parse(files: readonly string[]): Promise<Map<string, Outcome>> {
    const parts: Promise<[string, Outcome][]>[] = [];
    for (let i = 0; i < files.length; i += BATCH) parts.push(this.send(files.slice(i, i + BATCH), true));
    return new Map((await Promise.all(parts)).flat());
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
