import { describe, expect, it } from 'vitest';
import { canonicalJson, inputsDigest } from '../../src/verify/digest.js';

const base = {
  sessions: [
    { path: '.claude/tasks/context_session_2.md', text: 'b' },
    { path: '.claude/tasks/context_session_1.md', text: 'a' },
  ],
  analysis: { stack: { transports: ['socket.io'], providers: [] }, events: [] },
  toolVersion: '0.1.0',
  templates: { 'plan.md.hbs': 'x', 'summary.hbs': 'y' },
};

describe('inputsDigest', () => {
  it('is a sha256 over canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(inputsDigest(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('ignores key order and session order', () => {
    const reordered = {
      templates: { 'summary.hbs': 'y', 'plan.md.hbs': 'x' },
      toolVersion: '0.1.0',
      analysis: { events: [], stack: { providers: [], transports: ['socket.io'] } },
      sessions: [...base.sessions].reverse(),
    };
    expect(inputsDigest(reordered)).toBe(inputsDigest(base));
  });

  it.each([
    ['a session text', { ...base, sessions: [{ path: '.claude/tasks/context_session_1.md', text: 'changed' }] }],
    ['the analysis', { ...base, analysis: { stack: { transports: ['websocket'], providers: [] }, events: [] } }],
    ['the tool version', { ...base, toolVersion: '0.2.0' }],
    ['session frontmatter', { ...base, sessions: base.sessions.map((x) => ({ ...x, data: { status: 'done' } })) }],
    ['a template', { ...base, templates: { ...base.templates, 'summary.hbs': 'z' } }],
  ])('changes with %s', (_what, changed) => {
    expect(inputsDigest(changed)).not.toBe(inputsDigest(base));
  });
});
