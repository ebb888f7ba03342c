import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**', 'node_modules/**'],
    // One temp folder per run, removed at the end (see the file).
    globalSetup: ['test/setup/tmp-root.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests run the CLI and mermaid in child processes; two cores here and in CI.
    pool: 'forks',
    maxWorkers: 2,
  },
});
