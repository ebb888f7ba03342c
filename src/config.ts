// Project settings in .claude/rt-plan.json, so a team can turn on Context7 (or pin a docs
// budget) once instead of on every command line. Flags given on the command line win.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, describeError } from './errors.js';
import { readLimitedText } from './shared/read-limited.js';

export const CONFIG_PATH = '.claude/rt-plan.json';

export interface ProjectConfig {
  docs?: 'local' | 'context7';
  offline?: boolean;
  docsBudget?: number;
  /** Ask Claude for a design review on every plan (as --llm). */
  llm?: boolean;
}

/** Pure: the file's text → settings, or an error naming the bad key. */
export function parseConfig(text: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // The parser's message quotes the text; the file may not be ours to print (a key, a token).
    throw new InputError(`${CONFIG_PATH}: invalid JSON`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(`${CONFIG_PATH}: expected a JSON object`);
  const out: ProjectConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'docs' && (value === 'local' || value === 'context7')) out.docs = value;
    else if (key === 'offline' && typeof value === 'boolean') out.offline = value;
    else if (key === 'llm' && typeof value === 'boolean') out.llm = value;
    else if (key === 'docsBudget' && Number.isInteger(value) && (value as number) > 0) out.docsBudget = value as number;
    else if (key === '$schema' || key.startsWith('//')) continue;
    else {
      const known = key === 'docs' || key === 'offline' || key === 'docsBudget' || key === 'llm';
      throw new InputError(`${CONFIG_PATH}: ${known ? 'unsupported value for' : 'unsupported setting'} ${settingName(key)}`, {
        hint: 'supported: "docs": "local" | "context7", "offline": true | false, "docsBudget": a positive whole number, "llm": true | false',
      });
    }
  }
  return out;
}

/** A setting's name as shown in an error: quoted, escaped, and cut short. */
function settingName(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

export async function readConfig(root: string): Promise<ProjectConfig> {
  const realRoot = await fs.realpath(root).catch((error: unknown) => {
    throw new InputError(`cannot read project ${root}: ${describeError(error)}`, { cause: error });
  });
  const read = await readLimitedText(path.join(realRoot, CONFIG_PATH), { maxBytes: 64 * 1024, within: realRoot });
  if (!read.ok) {
    if (read.missing) return {};
    throw new InputError(`cannot read ${CONFIG_PATH}: ${read.reason}`);
  }
  return parseConfig(read.text);
}
