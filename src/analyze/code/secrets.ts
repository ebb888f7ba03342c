// Hard-coded credential detection over string literals. Only the kind leaves this module: the
// matched value is never stored, returned or logged.

interface SecretPattern {
  kind: string;
  re: RegExp;
}

/** Ordered: the first matching kind wins, so the narrower prefixes come first. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'anthropic-api-key', re: /^sk-ant-[A-Za-z0-9_-]{20,}$/ },
  { kind: 'openai-api-key', re: /^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$/ },
  { kind: 'stripe-secret-key', re: /^[sr]k_live_[0-9A-Za-z]{16,}$/ },
  { kind: 'google-api-key', re: /^AIza[0-9A-Za-z_-]{35}$/ },
  { kind: 'aws-access-key-id', re: /^(?:AKIA|ASIA)[0-9A-Z]{16}$/ },
  { kind: 'github-token', re: /^gh[pousr]_[A-Za-z0-9]{36,}$/ },
  { kind: 'slack-token', re: /^xox[abprs]-[A-Za-z0-9-]{10,}$/ },
  { kind: 'ably-api-key', re: /^[A-Za-z0-9_-]{5,8}\.[A-Za-z0-9_-]{5,8}:[A-Za-z0-9_-]{20,}$/ },
  { kind: 'jwt', re: /^eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}$/ },
  { kind: 'private-key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Names whose string value is a credential when it looks random enough. */
export const SECRET_KEY_NAME = /(?:secret|api_?key|apikey|access_?token|auth_?token|password|passwd|private_?key|client_?secret)$/i;
const PLACEHOLDER = /your|xxx|changeme|example|placeholder|dummy|test|<|\$\{|\s/i;

/**
 * Keys that are public by design: they identify an account to a browser SDK and are limited by
 * the provider (allowed origins, security rules), never secret. Stripe publishable keys,
 * Datadog client tokens, Sentry DSNs. https://docs.stripe.com/keys · https://docs.datadoghq.com/account_management/api-app-keys/#client-tokens
 */
const PUBLIC_VALUE = /^pk_(live|test)_|^pub[0-9a-f]{32}$|^https:\/\/[0-9a-f]+@[\w.-]*sentry\.io\//;
const PUBLIC_KEY_NAME = /publishable|public|client_?token|dsn|anon|site_?key/i;

/** JWTs whose payload declares a public role (Supabase anon keys) are meant to ship to clients. */
function isPublicJwt(value: string): boolean {
  const part = value.split('.')[1];
  if (!part) return false;
  try {
    const payload = Buffer.from(part, 'base64url').toString('utf8');
    return /"role"\s*:\s*"anon"/.test(payload);
  } catch {
    return false;
  }
}

function looksRandom(value: string): boolean {
  return value.length >= 16 && /[a-z]/i.test(value) && /\d/.test(value) && !/^[A-Z0-9_]+$/.test(value) && !/^https?:/.test(value);
}

/**
 * A dotted property path that ends in a secret's name (`appManager.apps.0.secret`, an env variable
 * mapped to a config key): it says where a secret is stored, it is not one.
 */
function namesSecretPath(value: string): boolean {
  const parts = value.split('.');
  return parts.length >= 2 && parts.every((p) => /^(?:[A-Za-z_$][\w$]*|\d+)$/.test(p)) && SECRET_KEY_NAME.test(parts[parts.length - 1] ?? '');
}

/** Kinds of credential found in one string literal (at most one), given the property or variable name. */
export function findSecrets(value: string, key: string | null): string[] {
  if (value.length < 16 || value.length > 4096 || PUBLIC_VALUE.test(value)) return [];
  for (const p of SECRET_PATTERNS) {
    if (!p.re.test(value)) continue;
    if (p.kind === 'jwt' && isPublicJwt(value)) return [];
    return [p.kind];
  }
  if (key && SECRET_KEY_NAME.test(key) && !PUBLIC_KEY_NAME.test(key) && looksRandom(value) && !PLACEHOLDER.test(value) && !namesSecretPath(value))
    return ['generic-secret'];
  return [];
}
