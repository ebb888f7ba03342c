// A deployment stated as one host is one instance the context caps: no spare, no cross-node bus.
import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { singleHostIn } from '../../src/context/single-host.js';

const instances = (body: string) =>
  extractRequirements('ctx.md', body)
    .filter((r) => r.kind === 'number' && r.metric === 'instances')
    .map((r) => (r.kind === 'number' ? { value: r.value, singleHost: r.singleHost ?? false, ceiling: r.ceiling?.evidence ?? null } : null));

describe('singleHostIn', () => {
  it.each([
    'Infrastructure: runs on a Raspberry Pi 3 on the shop LAN, no reverse proxy.',
    'Infrastructure: a single Node process behind nginx.',
    '300 users on one server.',
    'It is a single-server deployment.',
    'The server is installed on the device itself.',
  ])('reads one host in %j', (text) => {
    expect(singleHostIn(text, 'ctx.md:1')).toEqual({
      kind: 'number',
      metric: 'instances',
      value: 1,
      unit: 'instances',
      sentence: text,
      evidence: 'ctx.md:1',
      ceiling: { sentence: text, evidence: 'ctx.md:1' },
      singleHost: true,
    });
  });

  it.each([
    'Two tabs on one machine should stay in sync.',
    'One server per region, three regions.',
    'We run one server today and three servers next year.',
    'Messages are stored on the device.',
    'Each user has one session.',
    'Sticky sessions keep each client on one server.',
    'Every reconnect must reach the same server.',
    'A client is pinned to one server by its cookie.',
  ])('reads none in %j', (text) => {
    expect(singleHostIn(text, 'ctx.md:1')).toBeNull();
  });
});

describe('extractRequirements', () => {
  it('adds the one host, capped, where no instance count is stated', () => {
    expect(instances('Goal: push status.\n\nInfrastructure: runs on a Raspberry Pi 3 on the shop LAN.\n')).toEqual([
      { value: 1, singleHost: true, ceiling: 'ctx.md:3' },
    ]);
  });

  it('keeps a stated process count instead', () => {
    expect(instances('Infrastructure: 2 Node processes on one VM.\n')).toEqual([{ value: 2, singleHost: false, ceiling: null }]);
  });
});
