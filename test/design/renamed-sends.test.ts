// A client send no handler hears and a handler no client sends, with the same payload fields, are
// one message under two names: the client's catalog row says to send it under the handler's name.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import type { PlanInput } from '../../src/design/types.js';
import { chatInput } from './inputs.js';

const field = (name: string, at: string) => ({ name, type: 'unknown', description: `inferred from ${at}` });

function withMismatch(serverFields: string[]): PlanInput {
  const base = chatInput();
  base.analysis.events = [
    { name: 'joinRoom', direction: 'client-to-server', origin: 'existing', evidence: 'server.js:22', transport: 'socket.io' },
    {
      name: 'chatMessage',
      direction: 'client-to-server',
      origin: 'existing',
      evidence: 'server.js:27',
      transport: 'socket.io',
      payload: serverFields.map((n) => field(n, 'server.js:27')),
    },
    {
      name: 'sendMessage',
      direction: 'client-to-server',
      origin: 'existing',
      evidence: 'public/client.js:16',
      transport: 'socket.io',
      payload: ['roomId', 'text'].map((n) => field(n, 'public/client.js:16')),
    },
  ];
  base.analysis.findings = [
    ...base.analysis.findings,
    {
      id: 'event-name-mismatch',
      severity: 'medium',
      message: "The client sends 'sendMessage' (socket.io) but no server handler listens for it",
      evidence: 'public/client.js:16',
      fix: '',
    },
    {
      id: 'event-name-mismatch',
      severity: 'medium',
      message: "The server handles 'chatMessage' (socket.io) but no client code sends it",
      evidence: 'server.js:27',
      fix: '',
    },
  ];
  return base;
}

const row = (input: PlanInput, name: string) => (buildPlan(input).protocol.rows ?? []).find((r) => r.name === name);

describe('a send under another name than its handler', () => {
  it('the same fields: the client row says to send it under the handler name', () => {
    expect(row(withMismatch(['roomId', 'text']), 'sendMessage')?.summary).toContain(
      'no server handler listens for it, and the chatMessage handler (server.js:27) takes the same fields: send it as chatMessage',
    );
  });

  it('other fields: nothing is claimed', () => {
    expect(row(withMismatch(['roomId', 'body', 'replyTo']), 'sendMessage')?.summary).not.toContain('send it as');
  });
});
