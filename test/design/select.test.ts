import { describe, expect, it } from 'vitest';
import { extractRequirements } from '../../src/context/requirements.js';
import { selectScenarios } from '../../src/design/scenarios/index.js';
import { analysis, input, sessions } from './inputs.js';

const chosen = (task: string, body: string) => {
  const file = '.claude/tasks/context_session_1.md';
  const reqs = extractRequirements(file, body);
  return selectScenarios(input({ task, sessions: sessions(file, body, reqs), analysis: analysis({ name: 'app', sourceFiles: [] }) })).map((s) => s.id);
};

describe('selectScenarios', () => {
  it('an AI chat is AI streaming, not multi-user chat rooms', () => {
    expect(chosen('ai-chat', 'Stream the assistant answers token by token to the browser.')).toEqual(['ai-streaming']);
    expect(chosen('chatbot', 'Users chat with the AI assistant; answers stream in.')).toEqual(['ai-streaming']);
  });

  it('people chatting in rooms is chat', () => {
    expect(chosen('team-chat', 'Users chat in rooms and see who is typing.')).toEqual(['chat-collab']);
  });
});
