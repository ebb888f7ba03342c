// Who one pushed notification is for, read from the stream's delivery filter (analyze/model/
// channel-access.ts): a handler that sends only when `n.teamId === agent.teamId` delivers each
// notification to every connection of a team, so the channel, the seq and the replay are per team;
// one that compares the user's own id (or no filter at all) delivers per user, the default. Only the
// field the filter compares is read: its stem names the group (`teamId` → team, `org_id` → org).
import type { ModelFact } from '../types.js';

export type Audience =
  | { kind: 'user'; filter: { test: string; evidence: string } | null }
  | {
      kind: 'group';
      /** The group's name, from the compared field's stem: `team`. */
      group: string;
      /** The compared field as written: `teamId`. */
      field: string;
      test: string;
      evidence: string;
    };

/** `a.b.field === c.field` anywhere in a filter's test: the field both sides compare. */
const COMPARED = /[\w$]+(?:\.[\w$]+)*\.([\w$]+)\s*===?\s*[\w$]+(?:\.[\w$]+)*\.\1\b/;
/** A key field: `teamId`, `org_id`, `workspaceID`, with its stem. */
const KEY = /^([a-z][a-zA-Z0-9]*?)(?:Id|_id|ID)$/;
/** A field that names one person: the connection's own id, the recipient, the user. */
const PERSON = /^(?:id|uid|sub|user|recipient|owner|account|person|viewer)$/i;

/** The roots of the two sides (`n`, `agent`): a stem equal to one names that object itself. */
function roots(test: string): string[] {
  return [...test.matchAll(/(?:^|[^\w$.])([\w$]+)\./g)].map((m) => m[1]!.toLowerCase());
}

/** The audience of one delivery filter, or null when it compares no key field (a type, a level). */
export function filterAudience(f: Pick<ModelFact, 'name' | 'evidence'>): Audience | null {
  const field = COMPARED.exec(f.name)?.[1];
  if (!field) return null;
  const filter = { test: f.name, evidence: f.evidence };
  if (PERSON.test(field)) return { kind: 'user', filter };
  const stem = KEY.exec(field)?.[1];
  if (!stem) return null;
  const group = stem.replace(/_/g, ' ');
  if (PERSON.test(stem) || roots(f.name).includes(stem.toLowerCase())) return { kind: 'user', filter };
  return { kind: 'group', group, field, test: f.name, evidence: f.evidence };
}

/**
 * The audience the stream's delivery filters show: a group when every key filter compares a
 * group's field (the first such), the user when one compares the user's own id, and the user by
 * default when no filter says (none, or none on a key field).
 */
export function audienceOf(facts: readonly ModelFact[]): Audience {
  const read = facts.filter((f) => f.kind === 'delivery-filter').flatMap((f) => filterAudience(f) ?? []);
  const user = read.find((a) => a.kind === 'user');
  if (user) return user;
  return read.find((a) => a.kind === 'group') ?? { kind: 'user', filter: null };
}
