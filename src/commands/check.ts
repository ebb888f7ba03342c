// `rt-plan check [files…] [--stale] [--json]`: the checks live in src/verify; the CLI
// wiring (src/commands/check-cli.ts) prints the report and turns `ok` into the exit code.

export { formatCheckReport, runCheck, STALE_MESSAGE } from '../verify/check.js';
export type { CheckOptions, CheckProblem, CheckReport, FileCheck } from '../verify/check.js';
export { REQUIRED_SECTIONS } from '../verify/sections.js';
