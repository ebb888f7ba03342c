// Packages that give an app a sign-in, a session or a verified token: a project that declares none of
// them, and whose routes rt-plan read are all unguarded with none named like a sign-in, shows no
// session for a real-time handshake to reuse. The list is data, read by the sections that say so.
import type { DesignCtx } from '../context.js';

/** Package names (exact) and scopes (ending in `/`) whose presence means the app may already sign users in. */
const SIGN_IN_PACKAGES: readonly string[] = [
  'express-session',
  'cookie-session',
  'iron-session',
  'koa-session',
  'passport',
  'jsonwebtoken',
  'jose',
  'express-jwt',
  'express-openid-connect',
  'openid-client',
  'next-auth',
  'lucia',
  'better-auth',
  'supertokens-node',
  'keycloak-connect',
  'firebase',
  'firebase-admin',
  '@supabase/supabase-js',
  '@supabase/ssr',
  '@fastify/session',
  '@fastify/secure-session',
  '@fastify/jwt',
  '@nestjs/passport',
  '@nestjs/jwt',
  '@auth/',
  '@clerk/',
  '@auth0/',
  '@kinde-oss/',
  '@workos-inc/',
  '@supabase/auth-helpers-',
];

/** A route path that names a sign-in, session or token endpoint (`/login`, `/api/auth/callback`, `/session`). */
const SIGN_IN_PATH = /\/(log-?in|log-?out|sign-?in|sign-?out|sign-?up|register|sessions?|auth|oauth2?|callback|tokens?|me)(\/|$)/i;

/** The first sign-in package a manifest of the project declares, with where; null when none does. */
export function signInPackage(ctx: Pick<DesignCtx, 'input'>): { name: string; manifest: string; line: number } | null {
  for (const pkg of ctx.input.analysis.project.packages) {
    for (const name of Object.keys(pkg.dependencies)) {
      if (SIGN_IN_PACKAGES.some((p) => (p.endsWith('/') || p.endsWith('-') ? name.startsWith(p) : name === p)))
        return { name, manifest: pkg.manifest, line: pkg.dependencyLines[name] ?? 0 };
    }
  }
  return null;
}

/** Whether a route path (`POST /api/login`) names a sign-in, session or token endpoint. */
export function signInPath(route: string): boolean {
  return SIGN_IN_PATH.test(route.replace(/^[A-Z]+ /, ''));
}
