// The tools' input and output shapes. The SDK validates arguments against the input schemas
// and answers a bad call with an isError result (dryRun: "yes", an unknown scenario), and
// publishes the output schemas so a client can read structuredContent without guessing.
import { z } from 'zod';
import { SCENARIOS } from '../design/types.js';

const cwd = z.string().min(1).optional().describe('Project folder: absolute, or relative to the client\'s first root (default: that root, else `rt-plan mcp --cwd`)');

export const planInput = {
  task: z.string().min(1).describe('Short task name, e.g. sync-architecture'),
  cwd,
  patterns: z.array(z.enum(SCENARIOS as unknown as [string, ...string[]])).optional().describe('Force scenarios'),
  date: z.string().optional().describe('ISO date or epoch seconds, for deterministic output'),
  dryRun: z.boolean().optional().describe('Return the plan text instead of writing it'),
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
};

export const scanOutput = {
  project: z.string().describe('Absolute project folder'),
  libraries: z.array(library),
  events: z.array(z.looseObject({ name: z.string() })),
  findings: z.array(finding),
  warnings: z.array(z.string()),
};
