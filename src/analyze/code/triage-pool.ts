// Reading and prefiltering are most of a large scan. TriagePool spreads them over worker
// threads that receive file batches while the walk is still running; triageHere does the same
// work in-process for small trees, where starting threads would cost more than it saves.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { COMMON_PAIRS, compileMarkers, hasMarker } from './prefilter.js';
import { CANDIDATE_MARKERS, MAX_FILE_BYTES, type Triage, tooLarge, triageBytes } from './source.js';

type Test = (buf: Uint8Array) => boolean;

async function triageFile(abs: string, test: Test, decoder: TextDecoder): Promise<Triage> {
  let fh;
  try {
    fh = await open(abs, 'r');
    const { size } = await fh.stat();
    if (size > MAX_FILE_BYTES) return tooLarge(size);
    return triageBytes(await fh.readFile(), test, MAX_FILE_BYTES, decoder);
  } catch (error) {
    return { kind: 'warn', message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'}); skipped` };
  } finally {
    await fh?.close();
  }
}

/** `isCandidate` replaces the marker prefilter (companion modules are read whatever they contain). */
export async function triageHere(root: string, files: readonly string[], concurrency: number, isCandidate?: Test): Promise<Map<string, Triage>> {
  const matcher = isCandidate ? null : compileMarkers(CANDIDATE_MARKERS, COMMON_PAIRS);
  const test: Test = isCandidate ?? ((buf) => hasMarker(buf, matcher as NonNullable<typeof matcher>));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out = new Map<string, Triage>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i] as string;
      out.set(file, await triageFile(path.join(root, file), test, decoder));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, () => worker()));
  return out;
}

// The worker runs the very functions of prefilter.ts and source.ts from their source text, so
// the prefilter logic exists once. A `null` message ends the batch stream.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const compile = ${compileMarkers.toString()};
const has = ${hasMarker.toString()};
const tooLarge = ${tooLarge.toString()};
const triage = ${triageBytes.toString()};
const matcher = compile(workerData.markers, workerData.pairs);
const test = (buf) => has(buf, matcher);
const decoder = new TextDecoder('utf-8', { fatal: true });
const out = [];
// One buffer for every file: no allocation (and no garbage) per file. A file that fills it
// is over the size limit: only then is its size asked for, to report it.
const big = Buffer.allocUnsafe(workerData.max + 1);
function readInto(abs) {
  const fd = fs.openSync(abs, 'r');
  try {
    let n = 0;
    for (let got = 1; got > 0 && n < big.length; n += got) got = fs.readSync(fd, big, n, big.length - n, null);
    if (n < big.length) return big.subarray(0, n);
    return { tooLarge: fs.fstatSync(fd).size };
  } finally {
    fs.closeSync(fd);
  }
}
parentPort.on('message', (files) => {
  if (files === null) {
    parentPort.postMessage(out);
    return;
  }
  for (const file of files) {
    let r;
    try {
      // No stat: triage rejects a huge file after the read, and such files are rare.
      const buf = readInto(path.join(workerData.root, file));
      r = buf.tooLarge === undefined
        ? triage(buf, test, workerData.max, decoder)
        : tooLarge(buf.tooLarge);
    } catch (error) {
      r = { kind: 'warn', message: 'cannot read file (' + (error.code || 'error') + '); skipped' };
    }
    if (r.kind !== 'plain') out.push([file, r]);
  }
});
`;

export class TriagePool {
  private readonly workers: Worker[];
  /** One result per worker; listeners are attached at once so a failing thread never throws. */
  private readonly results: Promise<[string, Triage][]>[];
  private readonly files: string[] = [];
  private next = 0;

  private constructor(private readonly root: string, threads: number) {
    this.workers = Array.from(
      { length: threads },
      () => new Worker(WORKER_SOURCE, { eval: true, workerData: { root, markers: CANDIDATE_MARKERS, pairs: COMMON_PAIRS, max: MAX_FILE_BYTES } }),
    );
    this.results = this.workers.map(
      (w) =>
        new Promise<[string, Triage][]>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`triage worker exited with code ${code}`)));
        }),
    );
    for (const r of this.results) r.catch(() => undefined);
  }

  static start(root: string, threads: number): TriagePool {
    return new TriagePool(root, threads);
  }

  /** Queue files; batches go to the workers in turn. */
  addAll(files: readonly string[]): this {
    this.files.push(...files);
    for (let i = 0; i < files.length; i += 256) {
      const w = this.workers[this.next++ % this.workers.length] as Worker;
      w.postMessage(files.slice(i, i + 256));
    }
    return this;
  }

  /** Every queued file's triage ('plain' for files without a marker). */
  async finish(): Promise<Map<string, Triage>> {
    try {
      for (const w of this.workers) w.postMessage(null);
      const parts = await Promise.all(this.results);
      const out = new Map<string, Triage>(parts.flat());
      for (const f of this.files) if (!out.has(f)) out.set(f, { kind: 'plain' });
      return out;
    } catch {
      // A platform without working worker threads still gets a (slower) scan.
      return triageHere(this.root, this.files, 16);
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }
}
