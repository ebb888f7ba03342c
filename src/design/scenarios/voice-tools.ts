// The tools the project declares to its voice provider (model fact `tool-declaration`), each
// sorted by what its name and description say it does: a tool that changes something (book,
// cancel, send, pay…) waits for the user's approval; one that only reads (find, get, list…)
// runs at once. Where neither says, the plan cannot tell and assumes approval is needed.
// A write word wins over a read word ("find and book"): a wrong "runs without approval" is
// worse than an approval the user did not need.
import type { Analysis } from '../../types.js';
import { code } from '../md.js';

export type ToolEffect = 'read' | 'write' | 'unknown';

export interface VoiceTool {
  name: string;
  evidence: string;
  description: string | null;
  effect: ToolEffect;
  /** The word that decided it (`book`, `find`), or null when none did. */
  cue: string | null;
}

const WRITE = new Set(
  'book cancel create update delete remove send pay charge refund confirm reschedule schedule submit set add edit modify change save write post place transfer purchase buy assign approve reject apply register enroll subscribe unsubscribe insert upsert move rename reset publish notify upload mark archive close reserve accept decline issue grant revoke'.split(
    ' ',
  ),
);
const READ = new Set('find get list search lookup look check fetch read show view query retrieve describe count'.split(' '));

/** Lower-case words of a name (`find_appointment`, `getSlots`) or a sentence. */
function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 1);
}

/** The word itself or its stem (`booking` → book, `cancels` → cancel, `confirmed` → confirm). */
function stems(w: string): string[] {
  const out = [w];
  for (const suffix of ['ing', 'ed', 'es', 's', 'd']) if (w.endsWith(suffix) && w.length > suffix.length + 2) out.push(w.slice(0, -suffix.length));
  return out;
}

function firstIn(set: ReadonlySet<string>, ws: readonly string[]): string | null {
  for (const w of ws) for (const s of stems(w)) if (set.has(s)) return s;
  return null;
}

export function classifyTool(name: string, description: string | null): { effect: ToolEffect; cue: string | null } {
  const ws = [...words(name), ...words(description ?? '')];
  const write = firstIn(WRITE, ws);
  if (write) return { effect: 'write', cue: write };
  const read = firstIn(READ, ws);
  return read ? { effect: 'read', cue: read } : { effect: 'unknown', cue: null };
}

/** The declared tools, in the order the code declares them (one per name). */
export function declaredTools(analysis: Analysis): VoiceTool[] {
  const seen = new Set<string>();
  const out: VoiceTool[] = [];
  for (const f of analysis.modelFacts ?? []) {
    if (f.kind !== 'tool-declaration' || seen.has(f.name)) continue;
    seen.add(f.name);
    const description = f.value ?? null;
    out.push({ name: f.name, evidence: f.evidence, description, ...classifyTool(f.name, description) });
  }
  return out;
}

/** Tools that wait for approval (they change something, or the plan cannot tell) and tools that run at once. */
export function toolPolicy(analysis: Analysis): { gated: VoiceTool[]; direct: VoiceTool[] } | null {
  const tools = declaredTools(analysis);
  if (tools.length === 0) return null;
  return { gated: tools.filter((t) => t.effect !== 'read'), direct: tools.filter((t) => t.effect === 'read') };
}

const at = (t: VoiceTool): string => `${code(t.name)} (${code(t.evidence)})`;

/** One sentence per declared tool on whether it waits for approval, and why; '' when the code declares none. */
export function toolPolicyMd(analysis: Analysis): string {
  const p = toolPolicy(analysis);
  if (!p) return '';
  const parts = [
    ...p.direct.map((t) => `${at(t)} only reads (its name or description says "${t.cue}"), so it runs at once, with no preview or approval`),
    ...p.gated.map((t) =>
      t.effect === 'write'
        ? `${at(t)} changes something (its name or description says "${t.cue}"), so it runs in preview and applies only after the user approves`
        : `rt-plan cannot tell from the name and description of ${at(t)} whether it changes anything, so this plan assumes it does and asks for approval`,
    ),
  ];
  const none =
    p.gated.length === 0
      ? ` ${p.direct.length === 1 ? 'It changes' : 'None of them changes'} nothing, so no call waits for approval today; a tool added later that changes something goes through the approval below.`
      : '';
  return `The project declares ${p.direct.length + p.gated.length === 1 ? 'one tool' : `${p.direct.length + p.gated.length} tools`}: ${parts.join('; ')}.${none}`;
}
