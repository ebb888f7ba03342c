// Project settings in .claude/rt-plan.json, so a team can turn on Context7 (or pin a docs
// budget) once instead of on every command line. Flags given on the command line win.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, describeError } from './errors.js';

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
    throw new InputError(`${CONFIG_PATH}: invalid JSON: ${describeError(error)}`);
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
      throw new InputError(`${CONFIG_PATH}: unsupported setting ${JSON.stringify(key)}: ${JSON.stringify(value)}`, {
        hint: 'supported: "docs": "local" | "context7", "offline": true | false, "docsBudget": a positive whole number, "llm": true | false',
      });
    }
  }
  return out;
}

export async function readConfig(root: string): Promise<ProjectConfig> {
  const file = path.join(root, CONFIG_PATH);
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.size > 64 * 1024) throw new InputError(`${CONFIG_PATH}: too large (${stat.size} bytes)`);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${CONFIG_PATH}: ${describeError(error)}`, { cause: error });
  }
  return parseConfig(text);
}
