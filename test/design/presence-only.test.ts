// Rooms selected for presence alone (a head count, who is in the room) are not a chat: the plan
// proposes no message events, store, outbox or typing unless a chat requirement, a chat task word
// or the project's own message events ask for one.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { buildPlan } from '../../src/design/index.js';
import { asksForChat } from '../../src/design/scenarios/roles.js';
import type { PlanInput } from '../../src/design/types.js';
import { chatInput } from './inputs.js';

const CTX = '.claude/tasks/context_session_1.md';

function presenceOnly(task: string, body: string, keepEvents = false): PlanInput {
  const base = chatInput();
  base.task = task;
  base.sessions = { files: [CTX], docs: [{ path: CTX, data: {}, title: null, body }], requirements: extractRequirements(CTX, body), warnings: [] };
  if (!keepEvents) base.analysis.events = base.analysis.events.filter((e) => e.name === 'joinRoom');
  return base;
}

const HEAD_COUNT = 'Each room shows a live head count of who is in it.';

describe('rooms selected for presence alone', () => {
  it('ask for no chat, unless a chat requirement, task word or message event does', () => {
    expect(asksForChat(presenceOnly('room-count', HEAD_COUNT))).toBe(false);
    expect(asksForChat(presenceOnly('room-chat', HEAD_COUNT))).toBe(true);
    expect(asksForChat(presenceOnly('room-count', `${HEAD_COUNT} Members chat in the room.`))).toBe(true);
    // chatInput's own chatMessage event is the project's chat.
    expect(asksForChat(presenceOnly('room-count', HEAD_COUNT, true))).toBe(true);
  });

  it('plan membership and presence on our own server, with no message store, outbox or typing', () => {
    const plan = buildPlan(presenceOnly('room-count', HEAD_COUNT));
    expect(plan.scenarios.map((s) => s.id)).toEqual(['chat-collab']);
    const proposed = (plan.protocol.rows ?? []).filter((e) => e.origin === 'proposed').map((e) => e.name);
    expect(proposed.filter((n) => /message|typing/i.test(n))).toEqual([]);
    expect(proposed).toContain('updatePresence');
    const steps = plan.steps.map((s) => s.title);
    expect(steps).not.toContain('Client room store');
    expect(steps).not.toContain('Presence and typing');
    expect(JSON.stringify(plan)).not.toMatch(/clientMsgId|IndexedDB|afterSeq|typing throttle/);
  });
});
