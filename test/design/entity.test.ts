import { describe, expect, it } from 'vitest';
import { detectEntity } from '../../src/design/context.js';
import { analysis, input, sessions } from './inputs.js';

const entityOf = (task: string, body: string) =>
  detectEntity(input({ task, sessions: sessions('.claude/tasks/context_session_1.md', body, []), analysis: analysis({ name: 'app', sourceFiles: [] }) }));

describe('detectEntity', () => {
  it('takes the most frequent domain noun', () => {
    expect(entityOf('sync', 'Users join rooms. Each room has members. Rooms hold 200 people.')).toBe('room');
    expect(entityOf('agent-stream', 'Stream each agent run to the dashboard.')).toBe('agent');
  });

  it('does not read "in order" or "out of order" as an order entity', () => {
    expect(entityOf('sync', 'Replay missed messages in order. Deltas may arrive out of order. Users join rooms.')).toBe('room');
    expect(entityOf('sync', 'Deliver in-order updates.')).toBe('resource');
    expect(entityOf('checkout', 'Each order shows live status; the order page updates.')).toBe('order');
  });
});
