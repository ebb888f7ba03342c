// Pure: the text of one session file → its frontmatter, title, body and requirements.
import matter from 'gray-matter';
import type { Requirement, SessionDoc } from '../types.js';
import { extractRequirements } from './requirements.js';

export interface ParsedSession {
  doc: SessionDoc;
  requirements: Requirement[];
}

export class FrontmatterError extends Error {}

export function parseSession(relPath: string, text: string): ParsedSession {
  const source = text.replace(/^\uFEFF/, '');
  let data: Record<string, unknown> = {};
  let body = source;
  let bodyStartLine = 1;
  if (/^---[ \t]*\r?\n/.test(source)) {
    rejectAliases(source);
    try {
      // A fresh options object keeps gray-matter from returning a cached result
      // for identical text, which would share one mutable object between runs.
      const parsed = matter(source, {});
      data = parsed.data as Record<string, unknown>;
      body = parsed.content;
    } catch (error) {
      throw new FrontmatterError(describeYamlError(error));
    }
    bodyStartLine = countLines(source.slice(0, source.length - body.length)) + 1;
  }
  const title = titleOf(data, body);
  return {
    doc: { path: relPath, data: plainData(data), title, body },
    requirements: extractRequirements(relPath, body, bodyStartLine),
  };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function titleOf(data: Record<string, unknown>, body: string): string | null {
  for (const key of ['title', 'task', 'feature', 'name']) {
    const value = data[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const heading = /^#{1,2}\s+(.+?)\s*#*\s*$/m.exec(body);
  return heading?.[1]?.trim() ?? null;
}

// YAML dates become Date objects; keep the frontmatter JSON-safe and deterministic.
function plainData(data: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(data ?? {})) as Record<string, unknown>;
  } catch (error) {
    throw new FrontmatterError(`unsupported YAML frontmatter: ${(error as Error).message}`);
  }
}

/**
 * YAML anchors and aliases let a few hundred bytes expand to gigabytes (or loop forever):
 * session frontmatter is a handful of plain keys, so a file using them is refused.
 */
function rejectAliases(source: string): void {
  const end = source.indexOf('\n---', 3);
  const block = source.slice(0, end === -1 ? Math.min(source.length, 64 * 1024) : end);
  if (block.length >= 64 * 1024) throw new FrontmatterError('YAML frontmatter is larger than 64 KB');
  const unquoted = block.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'/g, '""');
  const at = /(?:^|[\s[{,:-])[&*][A-Za-z0-9_][\w-]*/m.exec(unquoted);
  if (at) {
    const line = unquoted.slice(0, at.index).split('\n').length + (at[0].startsWith('\n') ? 1 : 0);
    throw new FrontmatterError(`YAML anchors and aliases are not supported in session frontmatter (line ${line})`);
  }
}

function describeYamlError(error: unknown): string {
  const e = error as { reason?: string; mark?: { line?: number; column?: number }; message?: string };
  if (e.reason && e.mark && typeof e.mark.line === 'number') {
    // gray-matter hands js-yaml the text from the opening '---' line's newline, so js-yaml's
    // 0-based line plus one is the file's line.
    return `invalid YAML frontmatter: ${e.reason} (line ${e.mark.line + 1}, column ${(e.mark.column ?? 0) + 1})`;
  }
  return `invalid YAML frontmatter: ${String(e.message ?? error).split('\n')[0]}`;
}
