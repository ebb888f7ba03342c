// model fact keystroke-send: a client send that runs on every key pressed, from an inline input
// handler or a wrapper the handler calls (or is); a send behind a condition (a throttle) is not one.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/types.js';
import { analyzeTree } from './tree.js';

const keystrokes = (a: Analysis) =>
  (a.modelFacts ?? []).filter((f) => f.kind === 'keystroke-send').map((f) => [f.name, f.evidence, f.value ?? null, f.store ?? null]);
const pkg = JSON.stringify({ name: 'x', dependencies: { 'socket.io-client': '^4.7.0', react: '^18.3.1' } });
const client = [
  "import { io } from 'socket.io-client';",
  "export const socket = io('/');",
  'export function useChat(room) {',
  "  const sendTyping = () => socket.emit('typing', { room });",
  '  let last = 0;',
  '  const sendTypingThrottled = () => {',
  '    if (Date.now() - last < 2000) return;',
  '    last = Date.now();',
  "    socket.emit('typing:slow', { room });",
  '  };',
  '  return { sendTyping, sendTypingThrottled };',
  '}',
  '',
].join('\n');

describe('keystroke-send', () => {
  it('model-pusher-auth: the textarea onChange calls sendTyping, picked from useProjectChannel, whose body triggers client-typing', async () => {
    const a = await analyzeProject(path.join(import.meta.dirname, '..', 'fixtures', 'projects', 'model-pusher-auth'));
    expect(keystrokes(a)).toEqual([['client-typing', 'web/src/components/CommentThread.tsx:26', 'onChange', 'sendTyping']]);
  });
  it('a send inline in onInput, a wrapper passed by reference to onKeyDown, and no fact for a wrapper that may return early (a throttle) or a click', async () => {
    const a = await analyzeTree({
      'package.json': pkg,
      'src/chat.js': client,
      'src/Box.jsx': [
        "import { socket, useChat } from './chat.js';",
        'export function Box({ room }) {',
        '  const { sendTyping, sendTypingThrottled } = useChat(room);',
        '  return (',
        '    <div>',
        "      <input onInput={() => socket.emit('draft', { room })} />",
        '      <input onKeyDown={sendTyping} />',
        '      <input onChange={() => sendTypingThrottled()} />',
        "      <button onClick={() => socket.emit('ping')} />",
        '    </div>',
        '  );',
        '}',
        '',
      ].join('\n'),
    });
    expect(keystrokes(a)).toEqual([
      ['draft', 'src/Box.jsx:6', 'onInput', ''],
      ['typing', 'src/Box.jsx:7', 'onKeyDown', 'sendTyping'],
    ]);
  });
});
