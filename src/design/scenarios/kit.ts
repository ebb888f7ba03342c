// The shape every scenario module fills in, and small constructors that keep the modules
// as data. A scenario contributes events, flows, sync strategies, risks, tests, errors,
// metrics and implementation steps; buildPlan merges the selected ones in a fixed order.
import type { Direction, EventSpec, Feature, PayloadField } from '../../types.js';
import type { DesignCtx } from '../context.js';
import type { EdgeCase, Flow, Scenario, StepFile } from '../types.js';

export interface ScenarioNeeds {
  bidirectional: boolean;
  binary: boolean;
  media: boolean;
  rooms: boolean;
}

export interface ScenarioDefaults {
  connections: number;
  msgRate: number;
  payloadBytes: number;
  fanout: number;
  why: string;
}

export interface StepDraft {
  title: string;
  files: StepFile[];
  detailMd: string;
}

/** How a client of this scenario catches up and what it may change, for the sync and lifecycle text. */
export interface ResumeSpec {
  /** Event (or header) a reconnecting client sends to catch up. */
  event: string;
  /** The position it sends: a seq, an index, a state vector. */
  cursor: string;
  /** Event that changes state from the client, or null when the client only reads. */
  mutation: string | null;
  /** Idempotency key of that change. */
  key: string | null;
}

export interface ScenarioModule {
  id: Scenario;
  title: string;
  features: Feature[];
  /** Words in the task name that select the scenario. */
  words: string[];
  /** Stack providers that select it. */
  providers: string[];
  /** Dependencies that only exist for this scenario (e.g. yjs). */
  libraries?: string[];
  /** Existing event names that reveal the scenario when nothing else selected one. */
  eventHint?: RegExp;
  needs: ScenarioNeeds;
  defaults: ScenarioDefaults;
  summaryMd(ctx: DesignCtx): string;
  resume(ctx: DesignCtx): ResumeSpec;
  events(ctx: DesignCtx): EventSpec[];
  flows(ctx: DesignCtx): Flow[];
  sync(ctx: DesignCtx): { data: string; strategy: string; whyMd: string }[];
  risks(ctx: DesignCtx): EdgeCase[];
  tests(ctx: DesignCtx): string[];
  steps(ctx: DesignCtx): StepDraft[];
  errors: { code: string; when: string; clientMd: string }[];
  metrics: { name: string; type: string; labels: string; whyMd: string }[];
}

export function f(name: string, type: string, description?: string, optional?: boolean): PayloadField {
  const field: PayloadField = { name, type };
  if (optional) field.optional = true;
  if (description !== undefined) field.description = description;
  return field;
}

export function ev(
  name: string,
  direction: Direction,
  channel: string,
  summary: string,
  payloadType: string,
  payload: PayloadField[],
  ack?: PayloadField[],
): EventSpec {
  const spec: EventSpec = { name, direction, origin: 'proposed', evidence: null, summary, payloadType, payload, channel };
  if (ack) spec.ack = ack;
  return spec;
}

/** Client and server participants every flow shares. */
export function cs(ctx: DesignCtx): { key: string; label: string; actor?: boolean }[] {
  return [
    { key: 'user', label: 'User', actor: true },
    { key: 'client', label: ctx.labels.client },
    { key: 'server', label: ctx.labels.server },
  ];
}

/** How a message is sent on the chosen transport, for flow arrows. */
export function send(ctx: DesignCtx, event: string, args: string): string {
  if (ctx.transport === 'socket.io') return `emit ${event} ${args}`;
  if (ctx.transport === 'sse') return `event: ${event} ${args}`;
  return `{type: ${event}} ${args}`;
}

/** The file a new server module goes to in this project's layout. */
export function serverFile(ctx: DesignCtx, name: string): string {
  return `${ctx.layout.realtimeDir}/${name}.${ctx.layout.ext}`;
}

export function clientFile(ctx: DesignCtx, name: string): string {
  if (ctx.layout.framework === 'next') return `${ctx.layout.realtimeDir}/client/${name}.${ctx.layout.ext}`;
  const dir = ctx.layout.clientDir ?? 'client/src';
  const ext = ctx.layout.ext;
  return `${dir}/realtime/${name}.${ext}`;
}
