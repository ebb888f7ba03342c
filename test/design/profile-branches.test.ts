// Issue 10: sections iterate over profiles and never branch on a library, provider or
// transport name; what differs between runtimes is data in src/design/profiles/. The check
// covers the files whose sections already read profiles; REMAINING lists the others until
// their owners move their branches too (then they join CHECKED).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DESIGN = fileURLToPath(new URL('../../src/design/', import.meta.url));

/** Names a section could branch on: transports, server libraries, managed and voice providers. */
const NAMES = [
  'socket.io',
  'websocket',
  'sse',
  'webrtc',
  'long-polling',
  'ws',
  'y-websocket',
  '@fastify/websocket',
  'graphql-ws',
  'livekit',
  'openai-realtime',
  'gemini-live',
  'supabase-realtime',
  'pusher',
  'ably',
];

const quoted = NAMES.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
/** `x === 'ws'`, `'ws' !== x`, `case 'ws':`, `.includes('ws')`. */
const BRANCH = new RegExp(`([!=]==\\s*'(${quoted})'|'(${quoted})'\\s*[!=]==|case\\s+'(${quoted})'\\s*:|\\.includes\\(\\s*'(${quoted})'\\s*\\))`);

export function nameBranches(source: string): string[] {
  return source
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => !/^\s*(\/\/|\*)/.test(line) && BRANCH.test(line))
    .map(({ line, n }) => `${n}: ${line.trim()}`);
}

const CHECKED = [
  'transport.ts',
  'connection.ts',
  'connection-supabase.ts',
  'architecture.ts',
  'security.ts',
  'libraries.ts',
  'connection-providers.ts',
  'ops.ts',
  'testing.ts',
  'capacity.ts',
  'workload.ts',
  'steps.ts',
  'summary.ts',
  'sections.ts',
  'model-facts.ts',
  'problems.ts',
  'context.ts',
  'coverage.ts',
  'cite.ts',
  'scenarios/ai-streaming.ts',
  'scenarios/ai-sdk.ts',
  'scenarios/voice-steps.ts',
  'scenarios/voice-providers.ts',
  'scenarios/voice.ts',
  // Event protocol, state sync and edge cases read profiles/protocol.ts (issue 10, plans-protocol).
  'protocol.ts',
  'edge-cases.ts',
  'scenarios/kit.ts',
  'scenarios/roles.ts',
  'scenarios/chat-collab.ts',
  'scenarios/subscriptions.ts',
  'scenarios/notifications.ts',
  'scenarios/state-sync.ts',
  'scenarios/index.ts',
  'core/index.ts',
  'core/objects.ts',
  'core/names.ts',
  'core/sync-events.ts',
  'core/decide.ts',
  'core/context.ts',
];

describe('no branch on a library or provider name outside src/design/profiles/', () => {
  it.each(CHECKED)('%s reads profiles instead of comparing names', (file) => {
    expect(nameBranches(readFileSync(`${DESIGN}${file}`, 'utf8'))).toEqual([]);
  });

  it('finds the branches it is meant to find', () => {
    expect(
      nameBranches(
        [
          "if (ctx.transport === 'socket.io') x();",
          "const b = 'livekit' !== p;",
          "case 'sse':",
          "if (stack.providers.includes('pusher')) y();",
          "// if (ctx.transport === 'ws') is only a comment",
          "const label = 'socket.io';",
        ].join('\n'),
      ),
    ).toEqual([
      "1: if (ctx.transport === 'socket.io') x();",
      "2: const b = 'livekit' !== p;",
      "3: case 'sse':",
      "4: if (stack.providers.includes('pusher')) y();",
    ]);
  });
});
