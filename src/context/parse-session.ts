// Pure: the text of one session file → its frontmatter, title, body and requirements.
import { FrontmatterError, parseFrontmatter } from '../shared/frontmatter.js';
import type { Requirement, SessionDoc } from '../types.js';
import { extractRequirements } from './requirements.js';

export interface ParsedSession {
  doc: SessionDoc;
  requirements: Requirement[];
}

export { FrontmatterError };

export function parseSession(relPath: string, text: string): ParsedSession {
  const { data, body, bodyStartLine } = parseFrontmatter(text, 'session');
  const title = titleOf(data, body);
  return {
    doc: { path: relPath, data: plainData(data), title, body },
    requirements: extractRequirements(relPath, body, bodyStartLine),
  };
}

function titleOf(data: Record<string, unknown>, body: string): string | null {
  for (const key of ['title', 'task', 'feature', 'name']) {
    const value = data[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const heading = /^#{1,2}\s+(.+?)\s*#*\s*$/m.exec(body);
  return heading?.[1]?.trim() ?? null;
}

// Keep the frontmatter JSON-safe and deterministic (it goes into the inputs digest).
function plainData(data: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>;
  } catch (error) {
    throw new FrontmatterError(`unsupported YAML frontmatter: ${(error as Error).message}`);
  }
}
