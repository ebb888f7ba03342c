// Which declared voice tools wait for approval: a write word in the name or description gates it,
// a read word alone lets it run at once, and neither leaves the plan assuming approval is needed.
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../src/design/scenarios/voice-tools.js';

describe('voice tool approval by what the tool says it does', () => {
  it('read-only tools run at once; tools that change something, or that say nothing, wait for approval', () => {
    expect(classifyTool('find_appointment', 'Look up the next appointment of the caller')).toEqual({ effect: 'read', cue: 'find' });
    expect(classifyTool('getSlots', null)).toEqual({ effect: 'read', cue: 'get' });
    expect(classifyTool('book_appointment', 'Books the slot')).toEqual({ effect: 'write', cue: 'book' });
    expect(classifyTool('cancelOrder', null)).toEqual({ effect: 'write', cue: 'cancel' });
    // A write word wins over a read word.
    expect(classifyTool('find_and_book', 'Find a slot and book it')).toEqual({ effect: 'write', cue: 'book' });
    expect(classifyTool('lookup_slot', 'Confirmed bookings only')).toEqual({ effect: 'write', cue: 'confirm' });
    expect(classifyTool('weather', 'Current conditions')).toEqual({ effect: 'unknown', cue: null });
  });
});
