// A provider's client protocol the project's own server speaks (a self-hosted Pusher-compatible
// server): decided once from the events the server handles and sends, and kept on the wire.
import { describe, expect, it } from 'vitest';
import { servedProtocol } from '../../src/design/profiles/served-protocols.js';
import type { PlanInput } from '../../src/design/types.js';
import { analysis, CTX, feature, input, sessions } from './inputs.js';

type Ev = PlanInput['analysis']['events'][number];
const ev = (name: string, direction: Ev['direction'], evidence: string): Ev => ({ name, direction, origin: 'existing', evidence, transport: 'websocket' });

function pusherServer(events: Ev[], entry: 'ws-server' | 'ws-client' = 'ws-server'): PlanInput {
  const s = 'Our self-hosted Pusher-compatible server must hold presence rooms of up to 200 members.';
  return input({
    task: 'presence',
    sessions: sessions(CTX, `# Presence\n\n${s}\n`, [feature('presence', s, `${CTX}:3`)]),
    analysis: analysis({
      name: 'channels-server',
      sourceFiles: ['dist/index.js', 'dist/ws-handler.js'],
      stack: { transports: ['websocket'], entrypoints: [{ file: 'dist/index.js', line: 12, kind: entry }] },
      events,
    }),
  });
}

describe('servedProtocol', () => {
  it('a WebSocket server that handles and sends pusher: events speaks the Pusher protocol', () => {
    const p = servedProtocol(
      pusherServer([
        ev('pusher:connection_established', 'server-to-client', 'dist/ws-handler.js:12'),
        ev('pusher:subscribe', 'client-to-server', 'dist/ws-handler.js:22'),
      ]),
    );
    expect(p?.id).toBe('pusher-protocol');
    expect(p?.events).toEqual({
      subscribe: 'pusher:subscribe',
      unsubscribe: 'pusher:unsubscribe',
      memberAdded: 'pusher_internal:member_added',
      memberRemoved: 'pusher_internal:member_removed',
      ping: 'pusher:ping',
      pong: 'pusher:pong',
      error: 'pusher:error',
    });
    expect(p?.frame).toEqual({ nameKey: 'event', dataKey: 'data' });
  });

  it('only sending or only handling the protocol events is not speaking it', () => {
    expect(servedProtocol(pusherServer([ev('pusher:subscription_succeeded', 'server-to-client', 'src/app.js:4')]))).toBeNull();
    expect(servedProtocol(pusherServer([ev('pusher:subscribe', 'client-to-server', 'src/app.js:4')]))).toBeNull();
  });

  it('a client listening to pusher: events runs no server of its own', () => {
    const events = [ev('pusher:connection_established', 'server-to-client', 'src/app.js:4'), ev('pusher:subscribe', 'client-to-server', 'src/app.js:9')];
    expect(servedProtocol(pusherServer(events, 'ws-client'))).toBeNull();
  });

  it('events of another name or marked as a provider protocol do not count', () => {
    expect(servedProtocol(pusherServer([ev('room:join', 'client-to-server', 'a.js:1'), ev('room:joined', 'server-to-client', 'a.js:2')]))).toBeNull();
    const marked = [
      { ...ev('pusher:connection_established', 'server-to-client', 'a.js:1'), protocol: 'other' },
      { ...ev('pusher:subscribe', 'client-to-server', 'a.js:2'), protocol: 'other' },
    ];
    expect(servedProtocol(pusherServer(marked))).toBeNull();
  });
});
