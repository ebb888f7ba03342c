// The only module that writes into a project. Every write resolves real paths (symlinks
// included), refuses anything outside <project>/.claude/, goes to a temporary file first
// and reaches its name atomically, so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, describeError } from '../errors.js';
import { inert } from '../shared/inert.js';
import { readLimitedText } from '../shared/read-limited.js';
import { redact } from '../shared/redact.js';

export const BOUNDARY_DIR = '.claude';
/** Files rt-plan reads back from .claude/ (its agent file, earlier outputs) are small. */
const MAX_READ_BYTES = 1024 * 1024;

/** `.<name>.<pid>.<8 hex>.tmp`, and the `.2` copy of the no-hard-link path. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp(?:\.2)?$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface WriteResult {
  /** Path written, relative to the project root, with forward slashes. */
  relPath: string;
  absPath: string;
}

export class ProjectWriter {
  private constructor(
    readonly root: string,
    private readonly realRoot: string,
  ) {}

  static async open(root: string): Promise<ProjectWriter> {
    const abs = path.resolve(root);
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (error) {
      throw new InputError(`cannot open project ${abs}: ${describeError(error)}`, { cause: error });
    }
    return new ProjectWriter(abs, real);
  }

  /**
   * Write a file that must not replace anything: when `relPath` exists, try `name-2.ext`,
   * `name-3.ext`, … Creation is exclusive (hard link from the temporary file), so two runs
   * racing for the same name both succeed, with different names.
   */
  async writeNew(relPath: string, data: string | Uint8Array): Promise<WriteResult> {
    const target = await this.prepare(relPath);
    const tmp = await this.writeTemp(target, data);
    try {
      const { dir, name, ext } = path.parse(target);
      for (let n = 1; n < 1000; n++) {
        const candidate = n === 1 ? target : path.join(dir, `${name}-${n}${ext}`);
        if (await this.linkExclusive(tmp, candidate)) return await this.confirmInside(candidate);
      }
      throw new InputError(`too many existing files named like ${relPath}`);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /** Write a file, replacing an existing one atomically (rename over it). */
  async writeReplace(relPath: string, data: string | Uint8Array): Promise<WriteResult> {
    const target = await this.prepare(relPath);
    const tmp = await this.writeTemp(target, data);
    try {
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw this.writeError(target, error);
    }
    return this.confirmInside(target);
  }

  /**
   * Another process with write access to .claude/ can swap a checked directory for a symlink
   * between the check and the write. The written file's real path is checked afterwards and
   * the file removed when it landed outside the boundary.
   */
  private async confirmInside(written: string): Promise<WriteResult> {
    const boundary = path.join(this.realRoot, BOUNDARY_DIR);
    const realDir = await fs.realpath(path.dirname(written)).catch(() => null);
    if (realDir !== null && (realDir === boundary || realDir.startsWith(boundary + path.sep))) return this.result(written);
    await fs.rm(written, { force: true }).catch(() => undefined);
    throw new InputError(`refusing ${this.rel(written)}: its folder was replaced by a link outside ${BOUNDARY_DIR}/ while it was written; removed`);
  }

  /** Temporary files of runs killed mid-write (their process is gone) are removed. */
  private async sweepTemps(dir: string): Promise<void> {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
      await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
  }

  /** Remove a file rt-plan wrote earlier, if it is there. */
  async remove(relPath: string): Promise<void> {
    const target = await this.prepare(relPath, { create: false });
    await fs.rm(target, { force: true }).catch((error: unknown) => {
      throw this.writeError(target, error);
    });
  }

  /** Remove the files directly inside `dirRel` whose names match, if the folder exists. */
  async removeMatching(dirRel: string, pattern: RegExp): Promise<void> {
    const dir = await this.prepare(`${dirRel}/.keep`, { create: false }).then(path.dirname);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => pattern.test(n)).sort()) await this.remove(`${dirRel}/${name}`);
  }

  /** Read a file inside the boundary, or null when it does not exist. */
  async readIfExists(relPath: string): Promise<string | null> {
    const target = await this.prepare(relPath, { create: false });
    const read = await readLimitedText(target, { maxBytes: MAX_READ_BYTES, within: path.join(this.realRoot, BOUNDARY_DIR) });
    if (read.ok) return read.text;
    if (read.missing) return null;
    throw new InputError(`cannot read ${this.rel(target)}: ${read.reason}`);
  }

  /**
   * Resolve `relPath` inside <project>/.claude/, creating missing directories one level at a
   * time and checking each one's real path, so a symlink anywhere on the way cannot lead out.
   */
  private async prepare(relPath: string, opts: { create: boolean } = { create: true }): Promise<string> {
    const normal = path.normalize(relPath);
    const parts = normal.split(path.sep);
    if (path.isAbsolute(normal) || parts[0] !== BOUNDARY_DIR || parts.includes('..') || parts.length < 2) {
      throw new InputError(`refusing to write ${relPath}: rt-plan writes only inside ${BOUNDARY_DIR}/`);
    }
    const boundary = path.join(this.realRoot, BOUNDARY_DIR);
    let current = this.realRoot;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = path.join(current, parts[i]!);
      let real: string;
      try {
        real = await fs.realpath(next);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw this.writeError(next, error);
        if (!opts.create) return path.join(next, ...parts.slice(i + 1));
        await this.assertWritable(current);
        try {
          await fs.mkdir(next);
        } catch (mkdirError) {
          if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw this.writeError(next, mkdirError);
        }
        real = await fs.realpath(next);
      }
      if (!(await fs.stat(real)).isDirectory()) {
        throw new InputError(`cannot write into ${this.rel(next)}: it is a file, not a directory`, {
          hint: `move or remove ${this.rel(next)}`,
        });
      }
      if (real !== boundary && !real.startsWith(boundary + path.sep)) {
        throw new InputError(`refusing to write through ${this.rel(next)}: it resolves to ${real}, outside ${BOUNDARY_DIR}/ of the project`, {
          hint: `make ${this.rel(next)} a real directory inside the project`,
        });
      }
      current = real;
    }
    const target = path.join(current, parts[parts.length - 1]!);
    const stat = await fs.lstat(target).catch(() => null);
    if (stat?.isSymbolicLink()) {
      throw new InputError(`refusing to write ${this.rel(target)}: it is a symbolic link`);
    }
    if (opts.create) await this.assertWritable(current);
    return target;
  }

  // Running as root ignores permission bits; a directory with no write bit is still a
  // clear statement from the user that nothing should be written there.
  private async assertWritable(dir: string): Promise<void> {
    const stat = await fs.stat(dir);
    if ((stat.mode & 0o222) === 0) {
      throw new InputError(`cannot write into ${this.rel(dir) || '.'}: the directory is read-only`, {
        hint: `make it writable (chmod u+w ${this.rel(dir) || '.'}) or choose another --cwd`,
      });
    }
  }

  private async writeTemp(target: string, data: string | Uint8Array): Promise<string> {
    await this.sweepTemps(path.dirname(target));
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(tmp, 'wx', 0o644);
      // The last gate for every file: no detected secret and no terminal control is written.
      await handle.writeFile(typeof data === 'string' ? inert(redact(data)) : data);
      await handle.sync();
    } catch (error) {
      await handle?.close().catch(() => undefined);
      handle = undefined;
      await fs.rm(tmp, { force: true });
      throw this.writeError(target, error);
    } finally {
      await handle?.close();
    }
    return tmp;
  }

  private async linkExclusive(tmp: string, candidate: string): Promise<boolean> {
    try {
      await fs.link(tmp, candidate);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw this.writeError(candidate, error);
    }
    // Filesystems without hard links: reserve the name exclusively, then rename over it.
    try {
      await (await fs.open(candidate, 'wx')).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw this.writeError(candidate, error);
    }
    await fs.copyFile(tmp, `${tmp}.2`);
    await fs.rename(`${tmp}.2`, candidate);
    return true;
  }

  private writeError(target: string, error: unknown): InputError {
    if (error instanceof InputError) return error;
    return new InputError(`cannot write ${this.rel(target)}: ${describeError(error)}`, { cause: error });
  }

  private rel(abs: string): string {
    const fromReal = path.relative(this.realRoot, abs);
    const rel = fromReal.startsWith('..') ? path.relative(this.root, abs) : fromReal;
    return rel.split(path.sep).join('/');
  }

  private result(abs: string): WriteResult {
    return { relPath: this.rel(abs), absPath: abs };
  }
}
