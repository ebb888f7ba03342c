// Client sends that travel together (model/plan-facts.ts `client-send`, `together`): the events one
// function sends on every run, outside any if, loop, `&&` or `?:`, count together against a rate limit.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'web', dependencies: { 'socket.io-client': '4.7.5' } });

async function sends(src: string): Promise<[string, string, string[] | undefined][]> {
  const a = await analyzeTree({ 'package.json': PKG, 'src/editor.ts': src });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'client-send').map((f) => [f.name, f.evidence, f.together]);
}

describe('client sends that travel together', () => {
  it('two sends in one handler, each on every run', async () => {
    const src =
      "import { io } from 'socket.io-client';\nconst socket = io('https://x.example');\nexport const onChange = (text: string, pos: number) => {\n  socket.emit('note:edit', { text });\n  socket.emit('note:cursor', { pos });\n};\nexport const join = () => socket.emit('note:join', {});\n";
    expect(await sends(src)).toEqual([
      ['note:edit', 'src/editor.ts:4', ['note:cursor@src/editor.ts:5']],
      ['note:cursor', 'src/editor.ts:5', ['note:edit@src/editor.ts:4']],
      ['note:join', 'src/editor.ts:7', undefined],
    ]);
  });

  it('a send under an if or after `&&` is not made on every run', async () => {
    const src =
      "import { io } from 'socket.io-client';\nconst socket = io('https://x.example');\nexport function onChange(text: string, pos: number, moved: boolean) {\n  socket.emit('note:edit', { text });\n  if (moved) {\n    socket.emit('note:cursor', { pos });\n  }\n  moved && socket.emit('note:caret', { pos });\n}\n";
    expect(await sends(src)).toEqual([
      ['note:edit', 'src/editor.ts:4', undefined],
      ['note:cursor', 'src/editor.ts:6', undefined],
      ['note:caret', 'src/editor.ts:8', undefined],
    ]);
  });
});
