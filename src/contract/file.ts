// The sidecar file: its name next to the plan, its exact bytes, and the digest the plan's
// frontmatter records (`contract_digest`) so `rt-plan check` can tell a missing or edited copy.
import { createHash } from 'node:crypto';
import { CONTRACT_SCHEMA, type Contract } from './types.js';

export const contractPathOf = (planPath: string): string => planPath.replace(/\.md$/i, '') + '.contract.json';

/** Stable bytes: the contract is built in a fixed order, so the same plan gives the same file. */
export function contractText(contract: Contract): string {
  return `${JSON.stringify(contract, null, 2)}\n`;
}

export function contractDigest(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The recorded digest from a plan's frontmatter, or null when the plan has none (older plans). */
export function recordedContractDigest(markdown: string): { digest: string; line: number } | null {
  const lines = markdown.split(/\r?\n/);
  if (lines[0] !== '---') return null;
  for (let i = 1; i < lines.length && lines[i] !== '---'; i++) {
    const m = /^contract_digest:\s*"(sha256:[0-9a-f]{64})"\s*$/.exec(lines[i] ?? '');
    if (m?.[1]) return { digest: m[1], line: i + 1 };
  }
  return null;
}

/** Parse a sidecar; a file that is not a contract of this schema is a problem message. */
export function parseContract(text: string): Contract | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the first bytes, which may be a file that is not ours to print.
    return 'not valid JSON';
  }
  const c = value as Partial<Contract> | null;
  if (!c || typeof c !== 'object' || c.schema !== CONTRACT_SCHEMA) return `not an rt-plan contract (expected "schema": "${CONTRACT_SCHEMA}")`;
  if (!Array.isArray(c.events) || !Array.isArray(c.settings) || !Array.isArray(c.findings) || !Array.isArray(c.criteria))
    return 'events, settings, findings and criteria must be arrays';
  return c as Contract;
}
