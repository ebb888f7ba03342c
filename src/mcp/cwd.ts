// Which project a tool call is about. An MCP server is started by the client, often with `/`
// or the home folder as its working directory (Claude Desktop): planning that scanned the disk
// for minutes and wrote a plan to `/.claude/doc/`. So the folder comes from the call's `cwd`,
// else from the client's roots, else from `rt-plan mcp --cwd`, and a folder that is `/`, the
// home folder, or no project at all (no package.json or .git there or above) is refused.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import { locateProject } from '../project-root.js';

export interface CwdSources {
  /** The call's `cwd` argument. */
  argument?: string;
  /** file:// URIs the client listed as its roots, in order. */
  roots: string[];
  /** `rt-plan mcp --cwd`, when it was given on the command line. */
  serverCwd?: string;
  /** The process's working directory, the last resort. */
  processCwd: string;
  home?: string;
}

const HOW =
  'pass "cwd" (the project folder, absolute or relative to the client\'s first root) in the tool arguments, or start the server with `rt-plan mcp --cwd <project folder>`';

export function rootPaths(uris: string[]): string[] {
  return uris.filter((u) => u.startsWith('file://')).map((u) => fileURLToPath(u));
}

export function resolveProjectDir(src: CwdSources): string {
  const roots = rootPaths(src.roots);
  const base = roots[0] ?? src.serverCwd ?? src.processCwd;
  const dir = src.argument !== undefined ? path.resolve(base, src.argument) : base;
  const home = src.home ?? homedir();
  if (dir === path.parse(dir).root) throw new InputError(`refusing to plan ${dir}: it is the file system root, not a project`, { hint: HOW });
  if (path.resolve(home) === dir) throw new InputError(`refusing to plan ${dir}: it is the home folder, not a project`, { hint: HOW });
  if (locateProject(dir).marker === 'none') {
    throw new InputError(`refusing to plan ${dir}: no package.json or .git there or in any folder above`, { hint: HOW });
  }
  return dir;
}
