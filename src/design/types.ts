// The design stage's model: what buildPlan takes and what the templates read, one object
// per plan section. Strings named `*Md` are Markdown the design stage built itself (user
// data inside them already escaped with md.ts); every other string is plain text that the
// templates escape with a helper.
import type { BudgetCheck } from './budgets.js';
import type { Analysis, Diagram, DocsContext, EventSpec, PlanCore, SessionContext, Severity } from '../types.js';
import type { Contract } from '../contract/types.js';
import type { CoreDesign } from './core/index.js';
import type { Ordering } from './ordering.js';

export type Scenario = 'state-sync' | 'ai-streaming' | 'subscriptions' | 'chat-collab' | 'voice' | 'notifications' | 'collab-editing';

export const SCENARIOS: readonly Scenario[] = ['state-sync', 'ai-streaming', 'subscriptions', 'chat-collab', 'voice', 'notifications', 'collab-editing'];

export interface CapacityInputs {
  /** Peak concurrent connections, all instances together. */
  connections: number;
  /** Messages published per second, whole system (before fan-out). */
  msgRate: number;
  /** Average payload size in bytes. */
  payloadBytes: number;
  /** Recipients per published message. */
  fanout: number;
}

/**
 * The inputs with the deliveries per second summed over the room classes the context states
 * (typical rooms and a few larger ones), where it does: msgRate × fanout would size every room
 * at the typical size.
 */
export type SizedInputs = CapacityInputs & { deliveries?: number };

export interface PlanInput {
  task: string;
  now: Date;
  toolVersion: string;
  sessions: SessionContext;
  analysis: Analysis;
  docs: DocsContext;
  options: { patterns?: Scenario[]; capacity?: Partial<CapacityInputs> };
}

export interface ScenarioChoice {
  id: Scenario;
  title: string;
  /** Why it was selected: forced, a requirement, a task word or the stack. */
  reasonMd: string;
}

export interface Row {
  /** Plain text label. */
  label: string;
  valueMd: string;
  sourceMd?: string;
}

export interface Flow {
  title: string;
  summaryMd: string;
  diagram: Diagram;
  /** The event that opens a standard flow (send, join, sync, subscribe): drawn only when the project's code has it, else cited from the protocol note. */
  opens?: string;
}

export interface EdgeCase {
  title: string;
  riskMd: string;
  mitigationMd: string;
}

export interface StepFile {
  path: string;
  action: 'create' | 'change';
  why: string;
  /**
   * The lines of this file the change works at, as the code's evidence gives them ('37'): a cause
   * Current state names at one of them is already this change's to fix (linkCauses compares these,
   * never the wording of `why`).
   */
  lines?: string[];
}

/** What a step is, where a later stage places other steps by it: the audit findings, the causes Current state names. */
export type StepKind = 'findings' | 'causes';

export interface Step {
  n: number;
  title: string;
  files: StepFile[];
  detailMd: string;
  kind?: StepKind;
}

export interface CapacityRow {
  quantity: string;
  formula: string;
  value: string;
  source: string;
}

export interface MatrixRow {
  option: string;
  scores: number[];
  total: number;
  chosen: boolean;
}

export interface LibraryRow {
  name: string;
  role: string;
  fitMd: string;
  /** 0–3 per LIBRARY_CRITERIA entry. */
  scores: number[];
  total: number;
  chosen: boolean;
}

export interface Plan extends PlanCore {
  toolVersion: string;
  projectName: string;
  scenarios: ScenarioChoice[];
  summary: { buildingMd: string; decisionsMd: string[] };
  context: {
    sessionFiles: string[];
    /** `addressedIn`: the headings of the sections that use the requirement (see coverage.ts). */
    requirements: { label: string; sentence: string; evidence: string; addressedIn: string }[];
    /** Requirements no section uses, said plainly rather than dropped. */
    notAddressed: { label: string; sentence: string; evidence: string }[];
    assumptionsMd: string[];
    /** The contract's criteria, one line per area (the full EARS text is in the contract file). */
    criteriaMd?: string[];
    /** How many criteria the contract holds, and how many of them `rt-plan verify` checks against the code. */
    criteriaCount?: { total: number; analyzer: number };
  };
  currentState: {
    hasRealtime: boolean;
    /** Source files skipped as bundled or generated when no other source was read: the audit read no code. */
    unreadCode?: string[];
    statementMd: string;
    stack: Row[];
    entrypoints: { file: string; line: number; kind: string }[];
    findings: { id: string; severity: Severity; message: string; evidence: string; fix: string }[];
    /** Problems the context reports, each with a likely cause from the findings or none. */
    problems: {
      sentence: string;
      evidence: string;
      causeMd: string;
      /** How far the diagnosis gets (problems.ts `DiagnosisConfidence`): only `likely` and `possible` name places in the code. */
      confidence?: 'likely' | 'possible' | 'server' | 'unexplained' | 'unknown';
      /** The places in the code the diagnosis names as causes, each linked to the step that changes its file. */
      targets?: { path: string; line: string; fixMd: string; finding?: string }[];
    }[];
    /** Facts of the project model at their lines, and real-time code no adapter models (model-facts.ts). */
    modelFacts?: { evidence: string; noteMd: string; fixMd?: string }[];
    unmodelled?: { name: string; evidence: string; genericMd: string }[];
  };
  communication: { rows: Row[] };
  transportDecision: {
    criteria: { name: string; weight: number; whyMd: string }[];
    matrix: MatrixRow[];
    choiceMd: string;
    reasonsMd: string[];
    libraryCriteria: { name: string; weight: number }[];
    libraries: LibraryRow[];
    /** The criteria that carried weight, with why, in one sentence (the matrix stays as data). */
    weighedMd?: string;
    /** The options not chosen with their totals, best first. */
    othersMd?: string;
    /** The libraries scored, chosen first with its fit. */
    librariesMd?: string;
  };
  architecture: { diagram: Diagram; components: { name: string; responsibilityMd: string }[] };
  connection: {
    lifecycle: Diagram;
    authMd: string[];
    heartbeat: Row[];
    backoffMd: string;
    backoffTable: { attempt: number; ceilingMs: number; expectedMs: number }[];
    clientConfig: { lang: string; code: string };
    resumeMd: string[];
  };
  /** What orders each channel's events and what a reconnecting client resumes from (ordering.ts): one decision every section states. */
  ordering?: Ordering;
  /** The domain objects of the task and the decisions for each (Core design section). */
  core?: CoreDesign;
  protocol: {
    conventionsMd: string[];
    /** One catalog row per event; untyped existing events show their field names instead of a type. */
    rows?: {
      name: string;
      direction: EventSpec['direction'];
      /** Where the direction is not to or from a server of ours (a peer data message through the provider), said in words. */
      directionMd?: string;
      origin: EventSpec['origin'];
      payloadMd: string;
      ackMd: string;
      channel: string;
      summary: string;
    }[];
    typescript: string;
    flows: Flow[];
    /** Standard flows not drawn (their opening event is not in the code yet), cited from the protocol note; kept as data for tests and overrides. */
    citedFlows?: { flows: Flow[]; citeMd: string } | null;
    acksMd: string[];
  };
  stateSync: {
    strategies: { data: string; strategy: string; whyMd: string }[];
    snapshotMd: string[];
    optimisticMd: string[];
    offlineMd: string[];
  };
  security: {
    authz: { target: string; ruleMd: string }[];
    controls: Row[];
  };
  performance: {
    inputs: Row[];
    capacity: CapacityRow[];
    scalingMd: string[];
    topology: Diagram;
    backpressureMd: string[];
    compressionMd: string[];
    /** The plan checked against the caps and money budgets the context states (budgets.ts). */
    budgets: BudgetCheck[];
    budgetMd: string[];
  };
  errors: {
    codes: { code: string; when: string; signalMd: string; clientMd: string }[];
    /** How the standard codes (rt-plan's operations note) travel on this runtime, when no row says it per code. */
    standardMd?: string;
    degradedMd: string[];
    fallbackMd: string[];
  };
  observability: {
    metrics: { name: string; type: string; labels: string; whyMd: string }[];
    /** The standard counters, named with the project's prefix; described in a knowledge note. */
    standardMd?: string;
    /** Where the metrics go when no process of ours serves a scrape endpoint (an edge runtime). */
    sinkMd?: string;
    slos: { name: string; target: string; sourceMd: string }[];
    alerts: { name: string; conditionMd: string; severity: string }[];
  };
  testing: {
    layers: { kind: string; whatMd: string }[];
    /** `code` is '' where the script is rt-plan's skeleton (operations note) and `scriptMd` gives this project's values for it. */
    load: { tool: string; lang: string; code: string; numbersMd: string; scriptMd?: string };
    chaosMd: string[];
    latencyMd: string[];
  };
  steps: Step[];
  edgeCases: EdgeCase[];
  /** The line citing the generic edge-case catalog (knowledge note), after the project's own. */
  edgeCasesNoteMd?: string;
  /** Every gathered ref (the docs stage already ranked and budgeted them); `cited` when a decision cites it inline. */
  /** How many references, from where (in ranking order of first appearance), and how many the plan cites. */
  referenceCounts?: { total: number; cited: number; bySource: { from: string; count: number }[] };
  references: { id: string; title: string; version: string; reference: string; retrieved: string; cited: boolean; source: string; excerpt: string }[];
  /** What `rt-plan verify` checks later: events, decided settings, findings to fix, acceptance criteria. */
  contract?: Contract;
}

export type { EventSpec };
