// profiles/sign-in.ts: which manifests and routes show a sign-in the real-time handshake could reuse.
import { describe, expect, it } from 'vitest';
import type { DesignCtx } from '../../src/design/context.js';
import { signInPackage, signInPath } from '../../src/design/profiles/sign-in.js';

function withDeps(...pkgs: Record<string, string>[]): Pick<DesignCtx, 'input'> {
  const packages = pkgs.map((dependencies, i) => ({
    dir: i === 0 ? '' : `pkg${i}`,
    name: null,
    manifest: i === 0 ? 'package.json' : `pkg${i}/package.json`,
    dependencies,
    dependencyLines: Object.fromEntries(Object.keys(dependencies).map((n, j) => [n, 7 + j])),
  }));
  return { input: { analysis: { project: { packages } } } } as unknown as Pick<DesignCtx, 'input'>;
}

describe('signInPackage', () => {
  it('finds none in a manifest of express and react', () => {
    expect(signInPackage(withDeps({ express: '^4.19.2', react: '^18.3.1' }))).toBeNull();
  });
  it('names an exact package with its manifest and line', () => {
    expect(signInPackage(withDeps({ express: '^4.19.2', 'express-session': '^1.18.0' }))).toEqual({
      name: 'express-session',
      manifest: 'package.json',
      line: 8,
    });
  });
  it('matches a scope and a prefix, in any workspace package', () => {
    expect(signInPackage(withDeps({ react: '^18.3.1' }, { '@clerk/nextjs': '^5.0.0' }))?.name).toBe('@clerk/nextjs');
    expect(signInPackage(withDeps({ '@supabase/auth-helpers-nextjs': '^0.10.0' }))?.name).toBe('@supabase/auth-helpers-nextjs');
  });
  it('does not take a package that only starts like one (`josev`, `passport-like`)', () => {
    expect(signInPackage(withDeps({ josev: '1.0.0', 'passport-like': '1.0.0' }))).toBeNull();
  });
});

describe('signInPath', () => {
  it('reads login, session, auth callback and token routes as sign-in', () => {
    expect(['POST /api/login', 'POST /sign-in', 'GET /api/auth/callback', 'POST /session', 'POST /api/realtime/token'].map(signInPath)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
  it('does not read a resource route or a word that only contains one', () => {
    expect(['PUT /api/notes/:id', 'GET /api/authors', 'GET /events', 'POST /api/tokenizer'].map(signInPath)).toEqual([false, false, false, false]);
  });
});
