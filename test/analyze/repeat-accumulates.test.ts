// model fact repeat-accumulates: a message handler whose only write adds to a member and whose
// calls only read, so a repeated message counts again. A handler that records anything else (a
// Set of answered ids, a helper that may store it) is left alone: the code may refuse repeats.
import { describe, expect, it } from 'vitest';
import { analyzeTree } from './tree.js';

const PKG = JSON.stringify({ name: 'x', dependencies: { 'socket.io': '^4.7.0' } });
const SERVER = [
  "import { Server } from 'socket.io';",
  "import { handleAnswer } from './game';",
  'const io = new Server(3000);',
  "io.on('connection', (socket) => {",
  "  socket.on('answer:submit', (msg) => handleAnswer(socket, msg));",
  '});',
  '',
].join('\n');

async function facts(game: string) {
  const a = await analyzeTree({ 'package.json': PKG, 'src/index.ts': SERVER, 'src/game.ts': game });
  return (a.modelFacts ?? []).filter((f) => f.kind === 'repeat-accumulates');
}

describe('repeat-accumulates', () => {
  it('a handler whose only write adds to the player entry', async () => {
    const got = await facts(
      [
        'const players = new Map();',
        'export function handleAnswer(socket, msg) {',
        '  const player = players.get(socket.id);',
        '  if (!player) return;',
        '  if (msg.choice === 2) player.score += Math.round(Date.now() / 1000);',
        '}',
        '',
      ].join('\n'),
    );
    expect(got.map((f) => [f.name, f.store, f.evidence, f.value])).toEqual([['handleAnswer', 'player.score', 'src/game.ts:5', 'src/index.ts:5']]);
  });

  it('not when the handler records what it counted', async () => {
    const game = (record: string) =>
      [
        'const players = new Map();',
        'export function handleAnswer(socket, msg) {',
        '  const player = players.get(socket.id);',
        '  if (!player || player.answered.has(msg.questionId)) return;',
        record,
        '  player.score += 100;',
        '}',
        '',
      ].join('\n');
    expect(await facts(game('  player.answered.add(msg.questionId);'))).toEqual([]);
    expect(await facts(game('  player.last = msg.questionId;'))).toEqual([]);
    expect(await facts(game('  saveAnswer(player, msg);'))).toEqual([]);
  });
});
