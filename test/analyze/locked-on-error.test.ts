// model fact locked-on-error: an element disabled unless useChat's status is 'ready', in a
// component that never clears an error (ai 5 keeps status 'error' until clearError() or the next request).
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { next: '^15.0.0', react: '^19.0.0', ai: '^5.0.60', '@ai-sdk/react': '^2.0.60' } });

async function facts(extra: string, disabled = "status !== 'ready'") {
  const chat = [
    "'use client';",
    "import { useChat } from '@ai-sdk/react';",
    'export function Chat() {',
    `  const { messages, sendMessage, status, clearError, regenerate } = useChat();`,
    `  ${extra}`,
    `  return <form><input disabled={${disabled}} /></form>;`,
    '}',
    '',
  ].join('\n');
  const a = await analyzeTree({ 'package.json': PKG, 'components/chat.tsx': chat });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'locked-on-error').map((f) => [f.name, f.evidence]);
}

describe('locked-on-error', () => {
  it('disabled unless ready, and nothing clears an error', async () => {
    expect(await facts('')).toEqual([['status', 'components/chat.tsx:6']]);
  });
  it('not when the component clears the error', async () => {
    expect(await facts('const retry = () => clearError();')).toEqual([]);
  });
  it('not when disabled only while busy', async () => {
    expect(await facts('', "status === 'streaming'")).toEqual([]);
  });
});
