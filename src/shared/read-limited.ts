// Bounded, regular-file-only reads for every input rt-plan takes from a project (settings,
// template overrides, session files, docs, files under .claude/) and for HTTP bodies. A FIFO or
// device never blocks the run, a symbolic link cannot lead out of the project, and no read is
// larger than its cap. Reasons name the problem, never the file's content.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

export type LimitedRead = { ok: true; bytes: Buffer } | { ok: false; missing: boolean; reason: string };

export interface ReadLimits {
  maxBytes: number;
  /** Real path of the folder the file must resolve inside (the project root). */
  within?: string;
}

const fail = (reason: string, missing = false): LimitedRead => ({ ok: false, missing, reason });
const size = (n: number) => (n >= 1024 * 1024 ? `${Number((n / 1024 / 1024).toFixed(1))} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`);

export async function readLimited(abs: string, limits: ReadLimits): Promise<LimitedRead> {
  let real: string;
  try {
    real = await fs.realpath(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? fail('missing', true) : fail(`cannot read (${code})`);
  }
  if (limits.within !== undefined && real !== limits.within && !real.startsWith(limits.within + path.sep)) {
    return fail('symbolic link to a file outside the project');
  }
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever.
    handle = await fs.open(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return fail(`cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return fail('not a regular file');
    if (stat.size > limits.maxBytes) return fail(`too large (${size(stat.size)}; the limit is ${size(limits.maxBytes)})`);
    const buffer = Buffer.alloc(limits.maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      // The file grew while being read.
      if (length > limits.maxBytes) return fail(`too large (the limit is ${size(limits.maxBytes)})`);
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return fail(`cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export type LimitedText = { ok: true; text: string } | { ok: false; missing: boolean; reason: string };

/** readLimited, then UTF-8 text only (no NUL byte in the first 8 KB, no invalid sequence). */
export async function readLimitedText(abs: string, limits: ReadLimits): Promise<LimitedText> {
  const read = await readLimited(abs, limits);
  if (!read.ok) return read;
  if (read.bytes.subarray(0, 8192).includes(0)) return fail('binary file, not text') as LimitedText;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(read.bytes) };
  } catch {
    return fail('not valid UTF-8 text') as LimitedText;
  }
}

/** The body of an HTTP response, refused past `maxBytes` without buffering the rest. */
export async function readBodyLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`response body larger than ${size(maxBytes)}`);
  }
}

/**
 * A file rt-plan was pointed at (a plan, its sidecars, a review): bounded and regular-file only,
 * and when its path lies inside `root` its real path must too, so a link committed in the
 * project cannot make rt-plan read (and quote in an error) a file outside it. A path the user
 * gave outside the project is read as given.
 */
export async function readNamedText(root: string, abs: string, maxBytes: number): Promise<LimitedText> {
  const rel = path.relative(root, abs);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  if (!inside) return readLimitedText(abs, { maxBytes });
  const within = await fs.realpath(root).catch(() => path.resolve(root));
  return readLimitedText(abs, { maxBytes, within });
}
