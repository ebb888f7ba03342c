// Packages only browser code imports. A database or provider client created in the web app
// (`createClient(url, anonKey)` in `src/web/supabase.ts`) is the browser's, reading under the
// provider's row-level rules: it is not a store the server can keep its outbox or replay log in.
// A file counts as browser code when no server module reaches it through imports and it sits in
// a folder of the project's client entry points; a package any server-reached file imports is
// never browser-only. Nothing is said without a server entry and a client entry to tell them apart.
import type { Evidence, ModelFact } from '../../types.js';
import type { FileAnalysis } from '../code/scan.js';
import type { ModuleModel } from './index.js';
import { runsOnServer } from './adapters/types.js';

const SERVER_KINDS = new Set(['socket-server', 'ws-server', 'sse-endpoint']);
const dirOf = (file: string): string => file.replace(/\/[^/]*$/, '');
/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for a relative or absolute path. */
const packageOf = (source: string): string | null => {
  if (/^[./]/.test(source) || source.startsWith('node:')) return null;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? null);
};

export function browserOnlyPackages(analyses: readonly FileAnalysis[], model: ModuleModel): ModelFact[] {
  const serverRoots = analyses.filter((a) => a.entries.some((e) => SERVER_KINDS.has(e.kind))).map((a) => a.file);
  const clientDirs = [...new Set(analyses.filter((a) => a.entries.some((e) => e.side === 'client')).map((a) => dirOf(a.file)))];
  if (serverRoots.length === 0 || clientDirs.length === 0) return [];
  // Every module a server entry reaches through its imports runs in the server process.
  const server = new Set<string>();
  const queue = [...serverRoots];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (server.has(file)) continue;
    server.add(file);
    for (const imp of model.facts.get(file)?.imports ?? []) {
      const target = model.resolve(file, imp.source);
      if (target !== null && !server.has(target)) queue.push(target);
    }
  }
  // A route file or a module importing a server framework runs on the server even where no entry reaches it.
  for (const [file, f] of model.facts)
    if (!server.has(file) && (runsOnServer(file, f.imports) || f.imports.some((i) => i.source.startsWith('node:')))) server.add(file);
  const onServer = new Set<string>();
  for (const file of server) for (const imp of model.facts.get(file)?.imports ?? []) onServer.add(packageOf(imp.source) ?? '');
  const found = new Map<string, Evidence>();
  for (const [file, f] of model.facts) {
    if (server.has(file) || !clientDirs.some((d) => dirOf(file) === d || dirOf(file).startsWith(`${d}/`))) continue;
    for (const imp of f.imports) {
      const pkg = packageOf(imp.source);
      if (pkg && !onServer.has(pkg) && !found.has(pkg)) found.set(pkg, `${file}:${imp.line}`);
    }
  }
  return [...found].map(([name, evidence]) => ({
    kind: 'browser-only-package' as const,
    name,
    evidence,
    note: `\`${name}\` is imported only by browser code (first at \`${evidence}\`); no module the server runs imports it.`,
  }));
}
