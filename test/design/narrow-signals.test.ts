// Signals narrowed after a hostile review: each claim only where its exact shape holds.
import { describe, expect, it } from 'vitest';
import { ONLY_CALLERS } from '../../src/design/access.js';
import { clientStopCode } from '../../src/design/model-facts.js';
import { typingStart } from '../../src/design/problems.js';
import type { Analysis } from '../../src/types.js';

const withStop = (value: string) => ({ modelFacts: [{ kind: 'close-code-stop', name: 'onclose', value, evidence: 'src/live.ts:18' }] }) as unknown as Analysis;

describe('the close code an auth refusal uses', () => {
  it('is an application code (or 1008) the client stops on, never a normal or going-away close', () => {
    expect(clientStopCode(withStop('4401'))).toEqual({ codeMd: '`4401`', atMd: '`src/live.ts:18`' });
    expect(clientStopCode(withStop('1000, 4401'))).toEqual({ codeMd: '`4401`', atMd: '`src/live.ts:18`' });
    expect(clientStopCode(withStop('1008'))).toEqual({ codeMd: '`1008`', atMd: '`src/live.ts:18`' });
    expect(clientStopCode(withStop('1000'))).toBeNull();
    expect(clientStopCode(withStop('1000, 1001'))).toBeNull();
  });
});

describe('typing sends a throttle applies to', () => {
  it('start or keystroke events, not the stop that clears the indicator', () => {
    expect(['typing', 'client-typing', 'typing:start', 'sendTyping', 'userTyping'].map(typingStart)).toEqual([true, true, true, true, true]);
    expect(['typing:stop', 'stopTyping', 'typingEnd', 'typing_done', 'message'].map(typingStart)).toEqual([false, false, false, false, false]);
  });
});

describe('a must that limits who may connect', () => {
  it('names a connecting verb and what is joined, not an action', () => {
    const yes = [
      'only staff-signed-in kiosks can start a call',
      'only logged-in members may subscribe',
      'only members of the workspace may join a room',
      'only signed-in users can receive live updates',
    ];
    const no = [
      'Only staff can enter scores.',
      'Only paying members can receive invoices by email.',
      'Only admins can subscribe users to plans.',
      'Only admins can delete messages',
    ];
    expect(yes.map((s) => ONLY_CALLERS.test(s))).toEqual([true, true, true, true]);
    expect(no.map((s) => ONLY_CALLERS.test(s))).toEqual([false, false, false, false]);
  });
});
