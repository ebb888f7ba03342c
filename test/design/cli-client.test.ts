// The state-sync plan draws a "Terminal CLI" actor only when the project has one: a CLI that is
// a client of the real-time feature, not a vendor's deploy tool or a CLI parser in a package that never connects.
import { describe, expect, it } from 'vitest';
import { hasCli, namesCliClient } from '../../src/design/scenarios/state-sync.js';

type Ctx = Parameters<typeof hasCli>[0];
function ctx(opts: {
  packages?: { dir: string; dependencies: Record<string, string> }[];
  entrypoints?: { kind: string; file: string }[];
  session?: string;
}): Ctx {
  return {
    input: {
      analysis: { project: { packages: opts.packages ?? [{ dir: '', dependencies: {} }] }, stack: { entrypoints: opts.entrypoints ?? [] } },
      sessions: { docs: opts.session ? [{ body: opts.session }] : [] },
    },
  } as unknown as Ctx;
}

describe('a session sentence that names a CLI client', () => {
  it('is one when the project’s own CLI takes part in the live feature', () => {
    expect(namesCliClient('The terminal CLI and the web dashboard must stay in sync.')).toBe(true);
    expect(namesCliClient('CLI and dashboard sync')).toBe(true);
    expect(namesCliClient('A command-line client subscribes to build updates.')).toBe(true);
  });

  it('is not one for a vendor’s tool or a CLI with no live part', () => {
    expect(namesCliClient('Deploy the edge functions with the Supabase CLI.')).toBe(false);
    expect(namesCliClient('Run the AWS CLI to push updates to the bucket.')).toBe(false);
    expect(namesCliClient('We deploy with the Vercel CLI.')).toBe(false);
    expect(namesCliClient('The CLI prints the version.')).toBe(false);
  });

  it('needs a live verb whose subject is the CLI, not an ordinary word elsewhere in the sentence', () => {
    // "update" and "client" are no live verbs of the CLI.
    expect(namesCliClient('Admins create and update boards with the CLI.')).toBe(false);
    expect(namesCliClient('Run the migrations with the CLI before each deploy; the client reads the new schema.')).toBe(false);
    expect(namesCliClient('Seed the database with the CLI, then the web client connects.')).toBe(false);
    expect(namesCliClient('Use the CLI before the dashboard subscribes to builds.')).toBe(false);
    expect(namesCliClient('The CLI updates the config file.')).toBe(false);
    expect(namesCliClient('The live dashboard is built with the CLI.')).toBe(false);
  });

  it('reads a language or adjective before CLI as the project’s own CLI, and only known tools as vendors', () => {
    expect(namesCliClient('Our Go CLI subscribes to board changes and shows them live.')).toBe(true);
    expect(namesCliClient('The Rust CLI tails the build log as it happens.')).toBe(true);
    expect(namesCliClient('Our CLI shows build status live.')).toBe(true);
    expect(namesCliClient("The CLI's watch mode streams job events.")).toBe(true);
    expect(namesCliClient('The Firebase CLI connects to the emulator.')).toBe(false);
    expect(namesCliClient('Deploy with the Google Cloud CLI; it connects to the project.')).toBe(false);
  });
});

describe('hasCli', () => {
  const server = { kind: 'ws-server', file: 'apps/server/src/index.ts' };
  const packages = (deps: Record<string, string>) => [
    { dir: '', dependencies: {} },
    { dir: 'apps/server', dependencies: { ws: '^8.0.0' } },
    { dir: 'packages/tool', dependencies: deps },
  ];

  it('reads a CLI parser only in a package that also connects', () => {
    expect(
      hasCli(ctx({ packages: packages({ commander: '^12.0.0' }), entrypoints: [server, { kind: 'ws-client', file: 'packages/tool/src/watch.ts' }] })),
    ).toBe(true);
    expect(hasCli(ctx({ packages: packages({ commander: '^12.0.0' }), entrypoints: [server] }))).toBe(false);
  });

  it('reads the session only where it names a CLI client of the feature', () => {
    expect(hasCli(ctx({ session: 'Deploy with the Supabase CLI.\nThe board updates live for every viewer.' }))).toBe(false);
    expect(hasCli(ctx({ session: 'The terminal CLI and the web dashboard must stay in sync.' }))).toBe(true);
  });
});
