// Security's per-channel rule says what the code decides about access (design/access.ts).
import { describe, expect, it } from 'vitest';
import { callerMust, codeAccessMd, eventChecksMd, handlerCheckMd } from '../../src/design/access.js';
import type { DesignCtx } from '../../src/design/context.js';
import type { Analysis, ModelFact } from '../../src/types.js';

function md(facts: ModelFact[], auth: Analysis['stack']['auth'] = []): string | null {
  return codeAccessMd({ input: { analysis: { modelFacts: facts, stack: { auth } } } } as never);
}

describe('codeAccessMd', () => {
  it('says nothing when the code shows nothing', () => {
    expect(md([])).toBeNull();
  });

  it('a grant for a name the client sends, with nothing that refuses it, says so', () => {
    const grant: ModelFact = {
      kind: 'channel-grant',
      name: 'room',
      value: 'roomJoin, canSubscribe',
      evidence: 'app/api/token/route.ts:8',
      fromRequest: true,
      checked: false,
      note: '',
    };
    expect(md([grant])).toBe(
      'the route in `app/api/token/route.ts` grants `roomJoin` and `canSubscribe` on `room` (a name the client sends) (`app/api/token/route.ts:8`); nothing in that route refuses a name the user may not use',
    );
    expect(md([{ ...grant, checked: true }])).not.toContain('nothing in that route refuses');
  });

  it('names the connection authentication when no refusal shows it, and keeps a || inside the table cell', () => {
    const filter: ModelFact = { kind: 'delivery-filter', name: 'e.a === u.a || u.admin', evidence: 'src/sse.ts:12', route: '/events', note: '' };
    expect(md([filter], [{ kind: 'session-cookie', evidence: 'src/sse.ts:4' }])).toBe(
      'a session cookie authenticates the connection (`src/sse.ts:4`); `/events` sends an event to the connection only when `e.a === u.a \\|\\| u.admin` (`src/sse.ts:12`)',
    );
  });
});

describe('eventChecksMd: guards in front of a handler', () => {
  const ctx = (facts: ModelFact[]) => ({ input: { analysis: { modelFacts: facts, stack: { auth: [] } } } }) as never;
  const base = { kind: 'connection-check' as const, store: 'guard', note: '' };

  it('a guard read with its comparison, with the role metadata; one not read says so; metadata with no guard that reads it says that', () => {
    const read: ModelFact = {
      ...base,
      name: 'poll:open',
      value: 'WsRolesGuard',
      condition: 'roles.some((r) => user.roles.includes(r))',
      checkedAt: 'src/ws-roles.guard.ts:8',
      decorator: "@Roles('teacher')",
      decoratorAt: 'src/poll.gateway.ts:10',
      evidence: 'src/poll.gateway.ts:11',
    };
    const unread: ModelFact = { ...base, name: 'poll:close', value: "AuthGuard('jwt')", evidence: 'src/poll.gateway.ts:16' };
    const bare: ModelFact = {
      ...base,
      name: 'vote',
      value: '',
      decorator: "@Roles('student')",
      decoratorAt: 'src/poll.gateway.ts:20',
      evidence: 'src/poll.gateway.ts:20',
    };
    expect(eventChecksMd(ctx([read, unread, bare]), ['poll:open', 'poll:close', 'vote'])).toEqual({
      md:
        "`poll:open` is guarded by `WsRolesGuard` with `@Roles('teacher')` (`src/poll.gateway.ts:10`), which returns `roles.some((r) => user.roles.includes(r))` (`src/ws-roles.guard.ts:8`) (`src/poll.gateway.ts:11`); " +
        "`poll:close` is guarded by `AuthGuard('jwt')` (body not read) (`src/poll.gateway.ts:16`); " +
        "`vote` carries `@Roles('student')` (`src/poll.gateway.ts:20`), and rt-plan reads no guard on it that checks it (`src/poll.gateway.ts:20`)",
      checked: ['poll:open', 'poll:close', 'vote'],
    });
    expect(handlerCheckMd(ctx([bare]), 'vote')).toBe("`@Roles('student')` (`src/poll.gateway.ts:20`)");
  });

  it('a handshake refusal is said for every event it keeps out', () => {
    const f: ModelFact = {
      kind: 'connection-check',
      store: 'connect',
      name: 'room:close',
      value: "!claims.roles.includes('admin')",
      evidence: 'src/middleware.js:4',
      note: '',
    };
    expect(eventChecksMd(ctx([f, { ...f, name: 'room:open' }]), ['room:close', 'room:open'])?.md).toBe(
      "`room:close` and `room:open` come only from connections the handshake middleware lets through, which refuses one when `!claims.roles.includes('admin')` (`src/middleware.js:4`)",
    );
  });

  it('two events behind the same guard that refuses are said once', () => {
    const f: ModelFact = {
      ...base,
      name: 'a',
      value: 'AdminGuard',
      condition: "client.data.role !== 'admin'",
      checkedAt: 'src/g.ts:5',
      items: 'refuses',
      evidence: 'src/x.ts:3',
    };
    expect(eventChecksMd(ctx([f, { ...f, name: 'b', evidence: 'src/x.ts:9' }]), ['a', 'b'])?.md).toBe(
      "`a` and `b` are guarded by `AdminGuard`, which refuses when `client.data.role !== 'admin'` (`src/g.ts:5`) (`src/x.ts:3`, `src/x.ts:9`)",
    );
  });
});

describe('callerMust: a must about who may connect, not about what a user may do', () => {
  const must = (sentence: string) =>
    callerMust({ input: { sessions: { requirements: [{ kind: 'constraint', polarity: 'must', sentence, evidence: 'ctx.md:3' }] } } } as unknown as Pick<
      DesignCtx,
      'input'
    >);
  it('a connecting verb after can/may', () => {
    for (const s of [
      'only staff of a shop may subscribe to that shop channel.',
      'only members of the workspace (next-auth session) may join a room.',
      'only staff-signed-in kiosks can start a call.',
      'only signed-in users may connect (JWT from our auth service).',
    ])
      expect(must(s)).toEqual({ sentence: s, evidence: 'ctx.md:3' });
  });
  it('an action, or members the board shows, is no verdict on who may connect', () => {
    for (const s of [
      'Only admins can delete messages.',
      'Only paying customers can export reports to PDF.',
      'The board shows only members who can edit it.',
      'only members of a board may see its cards or move them.',
    ])
      expect(must(s)).toBeNull();
  });
});
