// The plan's contract: what the plan decided, in a form `rt-plan verify` can check against the
// code later. It is written next to the plan as `<plan>.contract.json`; the plan's frontmatter
// records its digest so `rt-plan check` notices a missing or edited copy. Add fields, never rename.
import type { Direction, Origin, Severity, Transport } from '../types.js';

export const CONTRACT_SCHEMA = 'rt-plan/contract@1';

/** Who does the check: the analyzer (from code, with file:line) or a person (tests, review). */
export type CheckedBy = 'analyzer' | 'manual';
export type Side = 'server' | 'client';

export interface ContractEvent {
  name: string;
  direction: Direction;
  origin: Origin;
  /** Sides that send it and sides that handle it. */
  sender: Side[];
  handler: Side[];
  payloadType: string;
  channel: string;
  namespace?: string;
  check: CheckedBy;
}

export type SettingId =
  | 'heartbeat-interval'
  | 'heartbeat-timeout'
  | 'reconnect'
  | 'payload-cap'
  | 'handshake-auth'
  | 'origin-allow-list'
  | 'adapter'
  | 'provider';

export interface ContractSetting {
  id: SettingId;
  /** The decided value: milliseconds, bytes, an auth kind, a package or provider name, or true. */
  value: number | string | boolean;
  /** The same, as a person reads it ("pingInterval 25,000 ms"). */
  planned: string;
  check: CheckedBy;
  /** Reconnect only: what the analyzer can see of the policy. */
  expect?: { backoff: boolean; jitter: boolean };
  /** The EARS sentence, where the runtime, not a server of ours, does what the setting says. */
  ears?: string;
}

export interface ContractFinding {
  id: string;
  severity: Severity;
  evidence: string;
  message: string;
}

export interface Criterion {
  /** "AC-1", "AC-2"… in plan order. */
  id: string;
  /** The requirement it belongs to: a session requirement's label, or the plan area. */
  requirement: string;
  /** EARS: "WHEN <event> THEN the <server|client> SHALL <response>". Plain text. */
  ears: string;
  check: CheckedBy;
  /** The contract item it checks: "event:<name>", "setting:<id>", "finding:<id>@<evidence>". */
  item?: string;
}

export interface Contract {
  schema: typeof CONTRACT_SCHEMA;
  task: string;
  generatedAt: string;
  transport: Transport;
  library: string | null;
  events: ContractEvent[];
  settings: ContractSetting[];
  findings: ContractFinding[];
  criteria: Criterion[];
}

/** What the design stage decided about connections; kept on the Plan so the contract can be built from it. */
export type DecidedSettings = ContractSetting[];
