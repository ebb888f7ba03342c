// Secrets: the location and kind are reported, the value never appears anywhere in the Analysis.
// Vendor-format keys are assembled here at run time so no key-shaped string is committed.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/analyze/code/secrets.js';
import { analyzeProject } from '../../src/analyze/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'projects');
const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

const SECRETS = {
  openai: ['sk', 'proj', 'Q7fA2LmZ9xW3vR8kT1bN4cY6uE0hJ5dG'].join('-'),
  anthropic: ['sk', 'ant', 'api03', 'Zx9Lm2Qw8Er4Ty6Ui1Op3As5Df7Gh'].join('-'),
  google: 'AI' + 'za' + 'SyD3x7Qm9Lp2Vt8Rk4Wn1Zs6Yb0Hc5Fg3Je',
  aws: 'AK' + 'IA' + 'QWERTYUIOP123456',
  serviceRole: `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'supabase', role: 'service_role' })}.U2VydmljZVJvbGVTaWduYXR1cmVYWVo`,
  generic: 'Tq8vW2xZ4mN6pR1sK3yB5cF7hJ9lD0gA',
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'rt-plan-secrets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('findSecrets', () => {
  it('names the kind of vendor keys', () => {
    expect(findSecrets(SECRETS.openai, null)).toEqual(['openai-api-key']);
    expect(findSecrets(SECRETS.anthropic, null)).toEqual(['anthropic-api-key']);
    expect(findSecrets(SECRETS.google, null)).toEqual(['google-api-key']);
    expect(findSecrets(SECRETS.aws, null)).toEqual(['aws-access-key-id']);
    expect(findSecrets(SECRETS.serviceRole, null)).toEqual(['jwt']);
  });

  it('needs a credential-like name for random strings, and skips placeholders and public keys', () => {
    expect(findSecrets(SECRETS.generic, 'clientSecret')).toEqual(['generic-secret']);
    expect(findSecrets(SECRETS.generic, 'className')).toEqual([]);
    expect(findSecrets('your-api-key-here-1234', 'apiKey')).toEqual([]);
    expect(findSecrets('OPENAI_API_KEY_2024_X', 'apiKey')).toEqual([]);
    expect(findSecrets(`${b64({ alg: 'HS256' })}.${b64({ role: 'anon', iss: 'supabase' })}.c2lnbmF0dXJlc2lnbmF0dXJl`, 'anonKey')).toEqual([]);
    expect(findSecrets('https://api.example.com/v1/a1b2c3', 'apiKey')).toEqual([]);
  });
});

describe('hard-coded secrets in a project', () => {
  it('reports each location and kind, and no value appears in the analysis', async () => {
    const dir = path.join(tmp, 'project');
    cpSync(path.join(FIXTURES, 'scan-secrets'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'src', 'keys.js'),
      [
        `export const OPENAI = '${SECRETS.openai}';`,
        `export const keys = { anthropic: '${SECRETS.anthropic}', google: "${SECRETS.google}" };`,
        `export const aws = \`${SECRETS.aws}\`;`,
        `export const service = '${SECRETS.serviceRole}';`,
        // A backtick string without expressions, under a credential name (a variable, then a property).
        `export const clientSecret = \`${SECRETS.generic}\`;`,
        `export const cfg = { apiKey: \`${SECRETS.generic}\`, className: \`${SECRETS.generic}\` };`,
        '',
      ].join('\n'),
    );
    const analysis = await analyzeProject(dir);
    const secrets = analysis.findings.filter((f) => f.id === 'hard-coded-secret');
    expect(secrets.map((f) => [f.evidence, f.message])).toEqual([
      ['src/config.js:8', 'Hard-coded credential (generic-secret) in source; the value is not shown here'],
      ['src/keys.js:1', 'Hard-coded credential (openai-api-key) in source; the value is not shown here'],
      ['src/keys.js:2', 'Hard-coded credential (anthropic-api-key) in source; the value is not shown here'],
      ['src/keys.js:2', 'Hard-coded credential (google-api-key) in source; the value is not shown here'],
      ['src/keys.js:3', 'Hard-coded credential (aws-access-key-id) in source; the value is not shown here'],
      ['src/keys.js:4', 'Hard-coded credential (jwt) in source; the value is not shown here'],
      ['src/keys.js:5', 'Hard-coded credential (generic-secret) in source; the value is not shown here'],
      ['src/keys.js:6', 'Hard-coded credential (generic-secret) in source; the value is not shown here'],
    ]);
    const json = JSON.stringify(analysis);
    for (const value of Object.values(SECRETS)) {
      expect(json).not.toContain(value);
      expect(json).not.toContain(value.slice(0, 12));
    }
  });
});

describe('keys that are public by design', () => {
  it('are not secrets: Stripe publishable keys, Datadog client tokens, Sentry DSNs, names that say public', () => {
    const tail = '51Hx8YzQeRtUvWxYz0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';
    expect(findSecrets(`pk${'_live_'}${tail}`, 'STRIPE_PUBLISHABLE_API_KEY')).toEqual([]);
    expect(findSecrets(`pub${'0123456789abcdef'.repeat(2)}`, 'clientToken')).toEqual([]);
    expect(findSecrets('https://0123456789abcdef0123456789abcdef@o123456.ingest.sentry.io/4504', 'dsn')).toEqual([]);
    expect(findSecrets('a1b2c3d4e5f6g7h8i9j0k1l2', 'publicApiKey')).toEqual([]);
    // A config path that ends in the secret's name (an env variable mapped to where the secret goes) is not one.
    expect(findSecrets('appManager.array.apps.0.secret', 'DEFAULT_APP_SECRET')).toEqual([]);
    expect(findSecrets('database.mysql.password', 'DB_PASSWORD')).toEqual([]);
    expect(findSecrets('k3y.9f8e7d6c5b4a.token2', 'accessToken')).toEqual(['generic-secret']);
    // The same shapes under a secret name, or a Stripe secret key, still are.
    expect(findSecrets('a1b2c3d4e5f6g7h8i9j0k1l2', 'apiKey')).toEqual(['generic-secret']);
    expect(findSecrets(`sk${'_live_'}${tail}`, 'STRIPE_PUBLISHABLE_API_KEY')).toEqual(['stripe-secret-key']);
  });
});
