// Which sections use each context requirement. A section uses one when it cites the
// requirement's evidence (file:line) together with what identifies it on that line: its
// figure, its feature name or its quoted sentence. Read from the built sections, so the
// Context section cannot claim a use that the plan does not print; what no section uses is
// listed under "Not addressed" instead of silently dropped.
import type { Requirement } from '../types.js';
import type { Plan } from './types.js';
import { formatBytes, statedBytesMd } from './capacity.js';
import { fmt, text } from './md.js';

/** Plan keys in reading order, with the headings the templates give them. */
export const SECTION_TITLES: ReadonlyArray<readonly [keyof Plan, string]> = [
  ['summary', '1. Summary'],
  ['scenarios', '1. Summary'],
  ['currentState', '3. Current state'],
  ['communication', '4. Communication requirements'],
  ['transportDecision', '5. Transport and library decision'],
  ['architecture', '6. Architecture'],
  ['connection', '7. Connection management'],
  // The core design (objects of the task) is printed at the head of the Event protocol section.
  ['core', '8. Event protocol'],
  ['protocol', '8. Event protocol'],
  ['stateSync', '9. State synchronization'],
  ['security', '10. Security'],
  ['performance', '11. Performance and scaling'],
  ['errors', '12. Error handling and fallbacks'],
  ['observability', '13. Observability'],
  ['testing', '14. Testing strategy'],
  ['steps', '15. Implementation steps'],
  ['edgeCases', '16. Race conditions and edge cases'],
];

/** What must appear next to the evidence for a section to count as using the requirement. */
function markers(r: Requirement): string[] {
  const quoted = [r.sentence, text(r.sentence)];
  if (r.kind === 'feature') return [r.feature, ...quoted];
  // A byte figure is printed the way capacity rows print sizes (200 MiB), not as a byte count.
  if (r.kind === 'number') return r.unit === 'bytes' ? [fmt(r.value), formatBytes(r.value), statedBytesMd(r)] : [fmt(r.value)];
  return quoted;
}

export function addressedIn(plan: Plan, requirements: Requirement[]): string[][] {
  const bodies = SECTION_TITLES.map(([key, title]) => [key, title, JSON.stringify(plan[key]).replace(/\\"/g, '"')] as const);
  return requirements.map((r) => {
    // The core design quotes the sentences that name its objects: that uses a requirement stated
    // as a sentence (a must, a feature), not a figure that merely sits in the quoted sentence.
    const has = (body: string, m: string): boolean => body.includes(m) || body.includes(JSON.stringify(m).slice(1, -1));
    const uses = (key: keyof Plan, body: string): boolean =>
      key === 'core' ? r.kind !== 'number' && [r.sentence, text(r.sentence)].some((m) => has(body, m)) : markers(r).some((m) => has(body, m));
    const found = bodies.filter(([key, , body]) => body.includes(r.evidence) && uses(key, body)).map(([, title]) => title);
    return [...new Set(found)];
  });
}
