// The routes a plan names on an EventSource wire: the write routes the code registers (each at
// its line, with the auth in front of it when the code shows one), never "the POST routes" where
// there are none; per-user counts only where the plan has users.
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { readSessions } from '../../src/context/read-sessions.js';
import { buildPlan } from '../../src/design/index.js';
import type { Plan } from '../../src/design/types.js';
import { writeTree } from '../analyze/tree.js';
import { NOW } from './inputs.js';

const SERVER = [
  "const express = require('express');",
  "const { requireSession } = require('./auth');",
  'const app = express();',
  "app.get('/matches/:matchId/events', (req, res) => {",
  "  res.writeHead(200, { 'Content-Type': 'text/event-stream' });",
  "  res.write('id: 1\\nevent: score\\ndata: {}\\n\\n');",
  '});',
  "app.post('/scores', (req, res) => res.json({}));",
  "app.post('/notes', requireSession, (req, res) => res.json({}));",
  'app.listen(3000);',
  '',
].join('\n');
const CONTEXT =
  '# Live scores for the regional league\n\nFans follow a match on the club sites through an embedded live scoreboard (SSE). About 2,000 viewers in total.\n\nMust not: no login for viewers.\n';

async function planOf(files: Record<string, string>): Promise<Plan> {
  const root = writeTree({ 'package.json': JSON.stringify({ name: 'scores', dependencies: { express: '^4.18.2' } }), ...files });
  const sessions = await readSessions(root, { globs: [] });
  const analysis = await analyzeProject(root);
  return buildPlan({ task: 'live-scores', now: NOW, toolVersion: '0.1.0', sessions, analysis, docs: { refs: [], notices: [] }, options: {} });
}
const control = (plan: Plan, label: string) => plan.security.controls.find((c) => c.label === label)?.valueMd ?? '';

describe('routes named on an EventSource wire', async () => {
  const plan = await planOf({
    'src/server.js': SERVER,
    'src/auth.js': 'exports.requireSession = (req, res, next) => next();\n',
    '.claude/tasks/context_session_1.md': CONTEXT,
  });
  const bare = await planOf({ 'src/server.js': SERVER.replace(/^app\.post.*\n/gm, ''), '.claude/tasks/context_session_1.md': CONTEXT });

  it('Origin: the write routes the code registers, each at its line, and the ones the plan proposes, named as proposed', () => {
    expect(control(plan, 'Origin check (CSWSH)')).toBe(
      "the public stream is read from any site (it carries no cookie and nothing private); `POST /scores` (`src/server.js:8`) and `POST /notes` (`src/server.js:9`) and the proposed POST routes for `match:sync` and `match:update`: where authenticated by a cookie, or by nothing, reject a missing or foreign `Origin`; one authenticated by an `Authorization` bearer header needs no Origin check (a browser never adds that header to another site's request)",
    );
    expect(control(bare, 'Origin check (CSWSH)')).toBe(
      "the public stream is read from any site (it carries no cookie and nothing private); the proposed POST routes for `match:sync` and `match:update`: where authenticated by a cookie, or by nothing, reject a missing or foreign `Origin`; one authenticated by an `Authorization` bearer header needs no Origin check (a browser never adds that header to another site's request)",
    );
  });

  it('limits writes per instance where nobody logs in, never per address or per user', () => {
    expect(control(plan, 'Rate limit')).toContain(
      '; the routes `POST /scores` (`src/server.js:8`) and `POST /notes` (`src/server.js:9`) and the proposed POST routes for `match:sync` and `match:update` are limited per instance as well (no user identity to limit by, and an address is shared)',
    );
    expect(control(bare, 'Payload cap')).toMatch(/^request body limit 32,768 bytes on the proposed POST routes for `match:sync` and `match:update`:/);
  });

  it('says which write route keeps its auth and which shows none', () => {
    expect(plan.connection.authMd.join('\n')).toContain(
      '; `POST /notes` (`src/server.js:9`) keeps its own authentication (`requireSession`); `POST /scores` (`src/server.js:8`) shows no auth check in front of it: writes need one.',
    );
    expect(bare.connection.authMd.join('\n')).toContain('share an address).');
  });

  it('counts streams per instance, not per user, where viewers have no login', () => {
    const row = plan.connection.heartbeat.find((r) => r.label === 'Bound on dead streams')?.valueMd ?? '';
    expect(row).toContain('there is no user to count streams by: they are counted per instance');
    expect(row).not.toMatch(/per-user|a user's streams/);
  });

  it('names no existing POST route, replay endpoint or login where the code shows none', () => {
    expect(JSON.stringify(bare)).not.toMatch(/POST routes? (that write|keep)|on POSTs|on POST routes|the replay endpoint|re-authenticating/);
    expect(JSON.stringify(bare)).toContain(
      'poll a replay route this plan adds (proposed, not a route rt-plan found in the code: `GET /matches/:matchId/events/replay?after=<last id>` in `src/server.js`)',
    );
  });
});
