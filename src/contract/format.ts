// The verify report as text for an 80-column terminal: one row per item (status, name, what
// was planned), its evidence or detail on the next line when it does not fit, and one closing
// line of counts.
import type { Evaluation, VerifyItem } from './evaluate.js';

export const WIDTH = 80;

export interface VerifyHeader {
  plan: string;
  transport: string;
  library: string | null;
}

export function formatVerify(header: VerifyHeader, e: Evaluation): string {
  const title = `Verify ${header.plan} (${header.library ?? header.transport})`;
  // A long plan path is split, not cut: it is what the reader copies to open the plan.
  const out: string[] =
    title.length <= WIDTH ? [title] : [`Verify (${header.library ?? header.transport})`, ...chunks(header.plan, WIDTH - 2).map((c) => `  ${c}`)];
  const section = (title: string, items: VerifyItem[]) => {
    if (items.length === 0) return;
    out.push('', title);
    for (const i of items) out.push(...row(i.status, i.id, note(i)));
  };
  section(
    'Events',
    e.items.filter((i) => i.kind === 'event'),
  );
  section(
    'Settings',
    e.items.filter((i) => i.kind === 'setting'),
  );
  if (e.findings.length > 0) {
    out.push('', 'Findings the plan asked to fix');
    for (const f of e.findings)
      out.push(...row(f.status === 'fixed' ? 'fixed' : 'present', f.id, f.status === 'fixed' ? `was ${f.planned}` : (f.evidence ?? f.planned)));
  }
  out.push('', countsLine(e));
  return out.join('\n');
}

export function countsLine(e: Evaluation): string {
  const c = e.counts;
  return `${c.done} done, ${c.partial} partial, ${c.missing} missing, ${c.manual} manual; findings: ${c.fixed} fixed, ${c.stillPresent} still present`;
}

function note(i: VerifyItem): string {
  if (i.status === 'done') return [i.evidence, i.detail ? `(${i.detail})` : null].filter(Boolean).join(' ');
  if (i.status === 'partial') return [i.detail, i.evidence ? `(${i.evidence})` : null].filter(Boolean).join(' ');
  if (i.status === 'missing') return [`planned: ${i.planned}`, i.detail ? `; ${i.detail}` : '', i.evidence ? ` (${i.evidence})` : ''].join('');
  return i.detail ? `${i.planned}; ${i.detail}` : i.planned;
}

/** "  status   name  note", or the note on its own indented lines when the row is too long. */
function row(status: string, name: string, text: string): string[] {
  const head = `  ${status.padEnd(8)} ${name}`;
  const one = text ? `${head.padEnd(Math.max(head.length + 2, 32))}${text}` : head;
  if (one.length <= WIDTH) return [one];
  return [clip(head), ...wrap(text, WIDTH - 13).map((l) => `           ${l}`)];
}

function chunks(s: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += width) out.push(s.slice(i, i + width));
  return out;
}

function clip(s: string): string {
  return s.length <= WIDTH ? s : `${s.slice(0, WIDTH - 1)}…`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  // A single word longer than the width (a deep path) is cut rather than overflowing.
  return lines.map((l) => (l.length <= width ? l : `${l.slice(0, width - 1)}…`));
}
