// Room channels in the project's own naming: where the code already names Socket.IO rooms
// (`board:${boardId}`, model fact `room-name`), a channel of the same scope is that room and a new
// one takes the same separator; without such rooms, channels are written `scope/{scopeId}`.
import type { ModelFact } from '../types.js';
import type { DesignCtx } from './context.js';

type RoomCtx = Pick<DesignCtx, 'input'>;

/** The room names the code uses (`board:{boardId}` at its join). */
export function projectRooms(ctx: RoomCtx): ModelFact[] {
  return (ctx.input.analysis.modelFacts ?? []).filter((f) => f.kind === 'room-name');
}

const SCOPED = /^([A-Za-z][\w-]*?)([/:.#|_-])\{([^}]+)\}$/;

/** `board` and `boardId` of `board/{boardId}` or `board:{boardId}`; null for `/`, `stream`, `app/actions`. */
export function channelParts(channel: string): { scope: string; sep: string; param: string } | null {
  const m = SCOPED.exec(channel);
  return m ? { scope: m[1]!, sep: m[2]!, param: m[3]! } : null;
}

/** The room of the code for this scope (same word, or keyed by the same field), if any. */
export function existingRoom(ctx: RoomCtx, scope: string, id: string): ModelFact | undefined {
  const rooms = projectRooms(ctx);
  return rooms.find((r) => channelParts(r.name)?.scope === scope) ?? rooms.find((r) => channelParts(r.name)?.param === id);
}

/** The channel for one instance of a scope, in the project's room naming when it has one. */
export function roomChannel(ctx: RoomCtx, scope: string, id: string): string {
  const same = existingRoom(ctx, scope, id);
  if (same) return same.name;
  const seps = [...new Set(projectRooms(ctx).map((r) => channelParts(r.name)?.sep))];
  return `${scope}${seps.length === 1 && seps[0] ? seps[0] : '/'}{${id}}`;
}
