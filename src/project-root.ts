// Where the project is, found upward from --cwd the way npm, eslint and prettier do: the
// nearest package.json inside the git work tree (the git root itself when there is none), or
// the nearest package.json when there is no git at all. A folder with neither is planned as
// given, with a warning, so a run from an empty or wrong folder does not pass silently.
// A folder given as --cwd that holds its own .claude/ (where Claude Code keeps the session
// context rt-plan reads and where the plan goes) is the project as given: climbing past it
// would plan an enclosing repository and write next to somebody else's sessions.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface ProjectLocation {
  root: string;
  /** What made `root` the project: its package.json, its .git, or nothing (as given). */
  marker: 'package.json' | '.git' | '.claude' | 'none';
}

function hasClaudeFolder(dir: string, home: string): boolean {
  // The home folder's .claude/ is Claude Code's user settings, not a project's.
  if (dir === home) return false;
  try {
    return statSync(path.join(dir, '.claude')).isDirectory();
  } catch {
    return false;
  }
}

export function locateProject(start: string, home = homedir()): ProjectLocation {
  const from = path.resolve(start);
  if (!existsSync(path.join(from, 'package.json')) && hasClaudeFolder(from, home)) return { root: from, marker: '.claude' };
  let nearestManifest: string | null = null;
  for (let dir = from; ; dir = path.dirname(dir)) {
    // The climb ends below the home folder: a ~/package.json or a dotfiles ~/.git is nobody's
    // project root, and taking it would write the plan into ~/.claude/ (Claude Code's settings).
    if (dir === path.resolve(home) && dir !== from) break;
    if (nearestManifest === null && existsSync(path.join(dir, 'package.json'))) nearestManifest = dir;
    // The work tree ends at .git: a package.json above it belongs to something else.
    if (existsSync(path.join(dir, '.git'))) {
      return nearestManifest ? { root: nearestManifest, marker: 'package.json' } : { root: dir, marker: '.git' };
    }
    if (path.dirname(dir) === dir) break;
  }
  return nearestManifest ? { root: nearestManifest, marker: 'package.json' } : { root: from, marker: 'none' };
}

export function noProjectWarning(root: string): string {
  return `no package.json or .git in ${root} or any folder above it: planning this folder as given (pass --cwd <project folder> if it is not the project)`;
}
