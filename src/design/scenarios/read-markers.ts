// Read markers: how far each user has read in each room, the state unread counts and mentions
// follow. The context asks for it ("unread counts and mentions should stay in sync between the
// browser and the desktop app"); Core design adds the object (core/index.ts, READ_STATE). A
// marker only moves forward, so two devices marking at once converge on the higher seq without
// a conflict to resolve, and a late or repeated mark changes nothing. The chat scenario proposes
// its events, flow and files; the State synchronization section says how a device catches up.
import { sequenceDiagram } from '../../diagrams/builders.js';
import { code, pascal } from '../md.js';
import type { DesignCtx } from '../context.js';
import { coreOf } from '../core/context.js';
import { nameIn } from '../core/names.js';
import type { DomainObject } from '../core/types.js';
import type { EventSpec } from '../../types.js';
import type { Flow } from '../types.js';
import { roomChannel } from '../rooms.js';
import { ev, f, managedProvider, send, serverFile, type StepDraft } from './kit.js';

/** The read marker of the plan's Core design, on a server of ours (a managed provider's rows are another design), else null. */
export function readMarkerOf(ctx: DesignCtx): DomainObject | null {
  if (managedProvider(ctx.input)) return null;
  return coreOf(ctx).objects.find((o) => o.kind === 'read-marker') ?? null;
}

export interface ReadMarkerNames {
  /** The room the marker is kept per (`room`). */
  scope: string;
  /** Its id field (`roomId`). */
  id: string;
  /** Client → server: this device showed the room up to a seq. */
  mark: string;
  /** Server → every connection of the user: the marker moved, with the counts. */
  moved: string;
}

/** Names in the project's style: `markRead` / `readMarker` in camelCase, `room:read` / `room:unread` otherwise. */
export function readMarkerNames(ctx: DesignCtx, o: DomainObject): ReadMarkerNames {
  const style = coreOf(ctx).style;
  const scope = o.parent?.field ?? 'room';
  return {
    scope,
    id: `${scope}Id`,
    mark: style === 'camel' ? nameIn(style, 'read', 'mark') : nameIn(style, scope, 'read'),
    moved: style === 'camel' ? nameIn(style, 'marker', 'read') : nameIn(style, scope, 'unread'),
  };
}

/** The channel every connection of one user joins: the marker goes to all of that user's devices. */
function userChannel(ctx: DesignCtx): string {
  return roomChannel(ctx, 'user', 'userId');
}

export function readMarkerEvents(ctx: DesignCtx, o: DomainObject): EventSpec[] {
  const n = readMarkerNames(ctx, o);
  const counts = [f('unread', 'integer', 'messages after the marker that others sent'), f('mentions', 'integer', 'of those, the ones naming this user')];
  return [
    ev(
      n.mark,
      'client-to-server',
      roomChannel(ctx, n.scope, n.id),
      `This device showed the ${n.scope} up to a seq; the server keeps the higher of it and the stored marker`,
      `${pascal(n.mark)}Payload`,
      [f(n.id, 'string'), f('readSeq', 'integer', `the seq of the last ${n.scope} message shown`)],
      [f('readSeq', 'integer', 'the marker now stored, never lower than before'), ...counts],
    ),
    ev(
      n.moved,
      'server-to-client',
      userChannel(ctx),
      `A read marker or its counts changed, sent to every connection of that user: when a device marks read, when a stored message changes the user's unread or mention count (at most one a second per user and ${n.scope}), and for each of the user's ${n.scope}s on connect`,
      `${pascal(n.moved)}Payload`,
      [f(n.id, 'string'), f('readSeq', 'integer'), ...counts],
    ),
  ];
}

export function readMarkerFlow(ctx: DesignCtx, o: DomainObject): Flow {
  const n = readMarkerNames(ctx, o);
  const title = `${n.mark} across the user's devices`;
  return {
    title,
    summaryMd: `A device that shows the newest messages of a ${n.scope} sends ${code(n.mark)} with the seq of the last message shown (${code('readSeq')}); the server stores the higher of it and the marker it holds (a lower one changes nothing) and sends ${code(n.moved)} with the new unread and mention counts to every connection of the user, so the other device clears the same badge.`,
    diagram: sequenceDiagram(title, {
      participants: [
        { key: 'client', label: ctx.labels.client },
        { key: 'server', label: ctx.labels.server },
        { key: 'store', label: 'Read markers (per user and room)' },
        { key: 'other', label: "The same user's other device" },
      ],
      steps: [
        { kind: 'message', from: 'client', to: 'server', text: send(ctx, n.mark, `${n.id}, readSeq`) },
        { kind: 'message', from: 'server', to: 'store', text: 'keep the higher of readSeq and the stored marker' },
        { kind: 'message', from: 'server', to: 'client', text: 'ack readSeq, unread, mentions', style: 'reply' },
        { kind: 'message', from: 'server', to: 'other', text: `${n.moved} readSeq, unread, mentions`, style: 'async' },
        { kind: 'note', over: ['other'], text: 'a marker below its own is ignored: markers only move forward' },
      ],
    }),
  };
}

export function readMarkerSync(o: DomainObject): { data: string; strategy: string; whyMd: string } {
  return { data: `${o.name}s`, strategy: 'The highest readSeq wins per (user, room)', whyMd: `see Core design for ${code(o.name)}` };
}

export function readMarkerStep(ctx: DesignCtx, o: DomainObject): StepDraft {
  const n = readMarkerNames(ctx, o);
  return {
    title: 'Read markers',
    files: [
      {
        path: serverFile(ctx, 'read-markers'),
        action: 'create',
        why: `${code(n.mark)} handler: keep the higher ${code('readSeq')} per (user, ${n.scope}) in one atomic update, count unread and mentions after it, send ${code(n.moved)} to the user's channel; on connect, send the user's markers; after storing a message, send each member whose counts it changed a ${code(n.moved)}, at most one a second per (user, ${n.scope})`,
      },
    ],
    detailMd: `Every connection joins its user's channel on connect, so ${code(n.moved)} reaches every device, for ${n.scope}s it has not opened too; a stored message that names a user raises that user's mention count for the ${n.scope}. Each stored message then reaches a member at most twice (the message in an open ${n.scope}, and the coalesced counts): size that with the load test.`,
  };
}

/** State synchronization's lines for the read marker: catch-up, what is applied at once, what waits offline. */
export function readMarkerSyncMd(ctx: DesignCtx, o: DomainObject): { snapshotMd: string; optimisticMd: string; offlineMd: string } {
  const n = readMarkerNames(ctx, o);
  const quote = o.context[0] ? ` This is how the plan meets "${o.context[0].sentence}" (${code(o.context[0].at)}).` : '';
  return {
    snapshotMd: `Read markers: on every (re)connect the server sends ${code(n.moved)} for each of the user's ${n.scope}s from the stored markers, so a device that was asleep shows the counts the user's other devices left; while connected, the server sends it whenever a stored message changes the counts, so every device shows the server's counts, for ${n.scope}s it has not opened too.${quote}`,
    optimisticMd: `Read markers: ${code(n.mark)} clears the badge at once; the ack carries the marker the server holds, which may be higher (another device read further), never lower, so nothing is rolled back.`,
    offlineMd: `Read markers: while disconnected only the highest ${code(n.mark)} per ${n.scope} is kept, and it is sent after the reconnect; a lower one the server already passed changes nothing.`,
  };
}
