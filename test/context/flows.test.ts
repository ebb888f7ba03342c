// The streams a context names for what clients follow, with exact entities and flows.
import { describe, expect, it } from 'vitest';
import { flowsIn } from '../../src/context/flows.js';

const pairs = (s: string) => flowsIn(s, 'c.md:3').map((f) => `${f.entity}:${f.flow}`);

describe('flowsIn', () => {
  it('the agent output and status, and the workspace updates, each of an entity clients follow', () => {
    expect(
      pairs("Clients subscribe to an agent to stream the agent's output and status changes; workspace updates go to everyone watching the workspace."),
    ).toEqual(['agent:output', 'agent:status', 'workspace:update']);
    expect(flowsIn("Clients subscribe to an agent to stream the agent's output.", 'c.md:3')[0]).toEqual({
      entity: 'agent',
      flow: 'output',
      sentence: "Clients subscribe to an agent to stream the agent's output.",
      evidence: 'c.md:3',
    });
  });

  it('other layouts: a watched order, a followed build', () => {
    expect(pairs("Customers watch an order and see the order's status updates.")).toEqual(['order:status']);
    expect(pairs('Developers follow a build; build events are pushed to everyone following it, and the build’s logs stream live.')).toEqual([
      'build:log',
      'build:event',
    ]);
  });

  it('nothing where the sentence names no entity clients follow', () => {
    expect(pairs('Price updates go to the dashboard every second.')).toEqual([]);
    expect(pairs("The agent's output must show within 1 s.")).toEqual([]);
  });
});
