import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { selectScenarios } from '../../src/design/scenarios/index.js';
import { analysis, input, sessions } from './inputs.js';

const chosen = (task: string, body: string, stack: { providers?: string[]; deps?: Record<string, string> } = {}) => {
  const file = '.claude/tasks/context_session_1.md';
  const reqs = extractRequirements(file, body);
  const a = analysis({ name: 'app', sourceFiles: [], deps: stack.deps ?? {}, stack: { providers: stack.providers ?? [] } });
  return selectScenarios(input({ task, sessions: sessions(file, body, reqs), analysis: a })).map((s) => s.id);
};

describe('selectScenarios', () => {
  it('an AI chat is AI streaming, not multi-user chat rooms', () => {
    expect(chosen('ai-chat', 'Stream the assistant answers token by token to the browser.')).toEqual(['ai-streaming']);
    expect(chosen('chatbot', 'Users chat with the AI assistant; answers stream in.')).toEqual(['ai-streaming']);
  });

  it('people chatting in rooms is chat', () => {
    expect(chosen('team-chat', 'Users chat in rooms and see who is typing.')).toEqual(['chat-collab']);
  });

  // Unread counts in sync across a user's devices are the chat's read markers, not a second object to synchronize.
  it("a chat's read state kept in sync across devices is the chat's read markers, not state synchronization", () => {
    const body = 'Team chat with rooms.\n\nUnread counts and mentions should stay in sync between the browser and the desktop app.';
    expect(chosen('sync-architecture', body)).toEqual(['chat-collab']);
    // Without a chat, state kept in sync is state synchronization.
    expect(chosen('board', 'Card positions should stay in sync between the browser and the desktop app.')).toEqual(['state-sync']);
  });

  // A LiveKit room carries data messages, a call or a voice agent: the provider alone does not say which task this is.
  describe('a shared provider (LiveKit) follows the task, not the provider', () => {
    const livekit = { providers: ['livekit'], deps: { 'livekit-client': '^2.23.0', 'livekit-server-sdk': '^2.19.2' } };

    it('reactions over data messages and a head count are rooms with presence, not a voice agent', () => {
      const body = 'We added emoji reactions over data messages and a head count the server pushes from LiveKit webhooks.';
      expect(chosen('livekit-data', body, livekit)).toEqual(['chat-collab']);
    });

    it('a voice requirement, a voice task word or the LiveKit Agents framework selects the voice agent', () => {
      expect(chosen('standup', 'Users talk to the assistant by voice in their room.', livekit)).toEqual(['voice']);
      expect(chosen('voice-room', '', livekit)).toEqual(['voice']);
      expect(chosen('standup', '', { ...livekit, deps: { ...livekit.deps, '@livekit/agents': '^1.0.0' } })).toEqual(['voice']);
    });

    it('alone, it still selects the voice agent, as an assumption', () => {
      const file = '.claude/tasks/context_session_1.md';
      const a = analysis({ name: 'app', sourceFiles: [], deps: livekit.deps, stack: { providers: ['livekit'] } });
      const [only] = selectScenarios(input({ task: 'standup', sessions: sessions(file, '', []), analysis: a }));
      expect(only?.id).toBe('voice');
      expect(only?.reasonMd).toBe('detected provider `livekit`, which serves other tasks as well: no requirement or task word says which (assumption)');
    });

    it('a model session (OpenAI Realtime, Gemini Live) selects the voice agent by itself', () => {
      expect(chosen('standup', '', { providers: ['openai-realtime'] })).toEqual(['voice']);
      expect(chosen('standup', '', { providers: ['gemini-live'] })).toEqual(['voice']);
    });
  });
});
