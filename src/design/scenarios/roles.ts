// What an event is for (join a room, send a message, announce presence…), read from its name
// and direction, so a scenario uses the project's own event for a purpose it already serves
// (`ticket:join`, `chat.send`, `chatMessage`) and proposes only what is missing, named in the
// project's style. Pure: names and directions in, names out.
import type { Direction, FeatureRequirement, Requirement, RtEvent } from '../../types.js';
import { nameIn, parseName, words, type NameStyle } from '../core/names.js';
import { code, text } from '../md.js';

export type Role = 'join' | 'leave' | 'send' | 'new' | 'presence' | 'typing';

const MESSAGE = /^(message|messages|msg|chat|comment|comments)$/;

/** The roles an event name serves in its direction; a `both` chat event is send and new at once. */
export function rolesOf(name: string, direction: Direction): Role[] {
  const w = words(name);
  if (w.includes('typing')) return ['typing'];
  if (w.some((x) => /^(presence|online|viewers|members)$/.test(x))) return direction === 'client-to-server' ? [] : ['presence'];
  // `userJoined`, `left`: the server announcing who came and went is presence.
  if (direction === 'server-to-client' && w.some((x) => /^(joined|left)$/.test(x))) return ['presence'];
  if (w.some((x) => /^(join|enter|subscribe)$/.test(x))) return direction === 'server-to-client' ? [] : ['join'];
  if (w.some((x) => /^(leave|unsubscribe)$/.test(x))) return direction === 'server-to-client' ? [] : ['leave'];
  if (w.some((x) => MESSAGE.test(x))) {
    const out: Role[] = [];
    if (direction !== 'server-to-client') out.push('send');
    if (direction !== 'client-to-server') out.push('new');
    return out;
  }
  return [];
}

/** The project's first event serving `role`, one per name (client and server sightings are one event). */
export function existingFor(events: readonly RtEvent[], role: Role): RtEvent | null {
  return events.find((e) => e.origin === 'existing' && rolesOf(e.name, e.direction).includes(role)) ?? null;
}

export interface ChatNames {
  /** The noun rooms are called by (`ticket` from `ticket:join`), `room` when no join exists. */
  room: string;
  /** Field that names the room in payloads: `ticketId`. */
  roomId: string;
  names: Record<Role, string>;
  /** The roles the project's own events already serve. */
  existing: ReadonlySet<Role>;
}

/** Chat event names: the project's own where it has one, else a new name in its style next to them. */
export function chatNames(events: readonly RtEvent[], style: NameStyle): ChatNames {
  const found = new Map<Role, RtEvent>();
  for (const role of ['join', 'leave', 'send', 'new', 'presence', 'typing'] as const) {
    const e = existingFor(events, role);
    if (e) found.set(role, e);
  }
  const joinNoun = found.get('join') ? parseName(found.get('join')!.name)?.noun : undefined;
  const room = joinNoun && !/^(presence|channel)$/.test(joinNoun) ? joinNoun : 'room';
  const msg = found.get('send') ?? found.get('new');
  // A provider's change event (`postgres_changes:messages:INSERT`) names no noun to build a send event from.
  const parsed = msg ? parseName(msg.name)?.noun : undefined;
  const msgNoun = parsed && MESSAGE.test(parsed) ? parsed : 'message';
  const pick = (role: Role, noun: string, action: string) => found.get(role)?.name ?? nameIn(style, noun, action);
  return {
    room,
    roomId: `${room}Id`,
    names: {
      join: pick('join', room, 'join'),
      leave: pick('leave', room, 'leave'),
      send: pick('send', msgNoun, 'send'),
      new: pick('new', msgNoun, 'new'),
      presence: pick('presence', 'presence', 'update'),
      typing: pick('typing', 'typing', 'update'),
    },
    existing: new Set(found.keys()),
  };
}

/** Where the project shows a role: its own event (file:line) or a context sentence naming the feature; null when neither does. */
export function shownBy(
  inp: { analysis: { events: readonly RtEvent[] }; sessions: { requirements: readonly Requirement[] } },
  role: Role,
  feature: FeatureRequirement['feature'],
): string | null {
  const e = existingFor(inp.analysis.events, role);
  if (e?.evidence) return `${code(e.name)} (${text(e.evidence)})`;
  const r = inp.sessions.requirements.find((q): q is FeatureRequirement => q.kind === 'feature' && q.feature === feature);
  return r ? `the context: "${text(r.sentence)}" (${code(r.evidence)})` : null;
}

/**
 * True when the task asks for chat messages: a chat requirement, a chat word in the task name, the
 * project's own message events, or no presence or typing requirement that selected the chat scenario
 * instead. A room's head count or who is in it (presence alone) is not a chat: the plan then
 * proposes no message events, store, typing or outbox nobody asked for.
 */
export function asksForChat(inp: { task: string; analysis: { events: readonly RtEvent[] }; sessions: { requirements: readonly Requirement[] } }): boolean {
  const features = new Set(inp.sessions.requirements.flatMap((r) => (r.kind === 'feature' ? [r.feature] : [])));
  if (features.has('chat')) return true;
  if (inp.task.split('-').some((w) => /^(chat|messaging|messages?)$/.test(w))) return true;
  if (existingFor(inp.analysis.events, 'send') || existingFor(inp.analysis.events, 'new')) return true;
  return !features.has('presence') && !features.has('typing');
}
