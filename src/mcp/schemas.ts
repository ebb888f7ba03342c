// The tools' input and output shapes. The SDK validates arguments against the input schemas
// and answers a bad call with an isError result (dryRun: "yes", an unknown scenario), and
// publishes the output schemas so a client can read structuredContent without guessing.
import { z } from 'zod';
import { SCENARIOS } from '../design/types.js';

const cwd = z
  .string()
  .min(1)
  .optional()
  .describe("Project folder: absolute, or relative to the client's first root (default: that root, else `rt-plan mcp --cwd`)");

export const planInput = {
  task: z.string().min(1).describe('Short task name, e.g. sync-architecture'),
  cwd,
  patterns: z
    .array(z.enum(SCENARIOS as unknown as [string, ...string[]]))
    .optional()
    .describe('Force scenarios'),
  date: z.string().optional().describe('ISO date or epoch seconds, for deterministic output'),
  dryRun: z.boolean().optional().describe('Return the plan text instead of writing it'),
  llm: z
    .boolean()
    .optional()
    .describe(
      "Also ask Claude for a design review of the plan (`rt-plan --llm`); needs ANTHROPIC_API_KEY in the server's environment; sends the plan and a few redacted file excerpts",
    ),
  llmRequired: z.boolean().optional().describe('With llm: fail when the review cannot be had (`--llm=required`) instead of writing the plan without it'),
};

export const verifyInput = {
  cwd,
  plan: z.string().min(1).optional().describe('Plan file, relative to the project (default: the newest rt-plan plan in .claude/doc/)'),
};

export const scanInput = { cwd };

const library = z.looseObject({ name: z.string() });
const finding = z.looseObject({ severity: z.string() });

export const planOutput = {
  plan: z.string().nullable().describe('Path of the written plan, relative to the project; null with dryRun'),
  task: z.string(),
  project: z.string().describe('Absolute project folder the plan is about'),
  transport: z.string(),
  library: z.string().nullable(),
  libraries: z.array(library),
  events: z.number().int(),
  findings: z.array(finding),
  warnings: z.array(z.string()),
  markdown: z.string().optional().describe('The plan text, with dryRun'),
  review: z
    .looseObject({ summary: z.string(), source: z.string(), items: z.array(z.looseObject({})), dropped: z.array(z.looseObject({})) })
    .nullable()
    .optional()
    .describe('With llm: the design review items whose evidence checked out (null when there is none)'),
};

export const scanOutput = {
  project: z.string().describe('Absolute project folder'),
  libraries: z.array(library),
  events: z.array(z.looseObject({ name: z.string() })),
  findings: z.array(finding),
  warnings: z.array(z.string()),
};

const counts = z.object({
  done: z.number().int(),
  partial: z.number().int(),
  missing: z.number().int(),
  manual: z.number().int(),
  fixed: z.number().int(),
  stillPresent: z.number().int(),
});

export const verifyOutput = {
  plan: z.string().describe('The plan checked, relative to the project'),
  contract: z.string(),
  task: z.string(),
  transport: z.string(),
  library: z.string().nullable(),
  ok: z.boolean().describe('false while a required planned item is missing or a finding the plan listed is still present'),
  items: z.array(z.looseObject({ kind: z.string(), id: z.string(), status: z.string() })),
  findings: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  criteria: z.array(z.looseObject({ id: z.string(), status: z.string() })),
  counts,
};
