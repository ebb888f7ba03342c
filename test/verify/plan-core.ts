// A hand-made PlanCore for the AsyncAPI and check tests: a Socket.IO chat with one event
// in each direction, one both-ways event, an acknowledged event and a parameterized room.

import type { PlanCore } from '../../src/types.js';

export const PLAN: PlanCore = {
  task: 'sync-architecture',
  title: 'Real-time plan: sync-architecture',
  generatedAt: '2026-11-21T10:15:00.000Z',
  transport: 'socket.io',
  library: 'socket.io',
  diagrams: [],
  channels: [
    { name: 'room:{roomId}', description: 'One chat room; members receive its messages.' },
    { name: 'presence', description: 'Who is online.' },
  ],
  events: [
    {
      name: 'chat:message',
      direction: 'client-to-server',
      origin: 'existing',
      evidence: 'server.js:20',
      summary: 'A user sends a message to a room.',
      payloadType: 'ChatMessagePayload',
      payload: [
        { name: 'roomId', type: 'string' },
        { name: 'text', type: 'string', description: 'At most 2000 characters.' },
        { name: 'clientId', type: 'string', optional: true },
        { name: 'kind', type: "'text' | 'image'" },
      ],
      ack: [
        { name: 'ok', type: 'boolean' },
        { name: 'seq', type: 'integer', optional: true },
      ],
      channel: 'room:{roomId}',
    },
    {
      name: 'chat:new',
      direction: 'server-to-client',
      origin: 'proposed',
      evidence: null,
      summary: 'The server fans a message out to the room.',
      payloadType: 'ChatNewPayload',
      payload: [
        { name: 'seq', type: 'integer' },
        { name: 'tags', type: 'string[]' },
        { name: 'meta', type: 'Record<string, unknown>' },
        { name: 'extra', type: 'unknown', optional: true },
      ],
      channel: 'room:{roomId}',
    },
    {
      name: 'presence:update',
      direction: 'both',
      origin: 'proposed',
      evidence: null,
      summary: 'Presence changes.',
      payloadType: 'PresencePayload',
      payload: [{ name: 'online', type: 'number[]' }],
      channel: 'presence',
    },
  ],
};
