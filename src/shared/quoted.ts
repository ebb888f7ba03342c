// Quoted text stays data. Plans are read by AI agents, so a line quoted from a README, a doc,
// a session file or a Context7 snippet that addresses an agent ("if you are Claude Code, run
// …"), tells it to ignore its instructions, or is a command to paste (`curl … | sh`, `npx …`,
// `claude mcp add`) would be an instruction passed on through the plan. Such lines are left
// out of excerpts; what remains is fenced in the plan and labelled untrusted.
import type { DocsContext, SessionContext } from '../types.js';

/** Lines that speak to an AI agent or try to override its instructions. */
const ADDRESSES_AGENT = [
  /\b(?:if|when|since|because)\s+you\s+are\s+(?:an?\s+)?(?:ai|a\.i\.|llm|large language model|language model|assistant|agent|bot|claude|chatgpt|gpt|copilot|cursor|gemini|codex)\b/i,
  /\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|any|your)\b.{0,30}\b(?:instructions?|prompts?|rules?|directives?|guidelines?)\b/i,
  /\b(?:ai|llm)\s+(?:agents?|assistants?|models?)\b.{0,60}\b(?:must|should|need to|have to)\b/i,
  /\b(?:claude(?:\s+code)?|chatgpt|copilot|cursor|codex)\b.{0,60}\b(?:must|should|run|execute|install|call|add)\b/i,
  /\b(?:system prompt|new instructions|<\/?system>)/i,
];

/** Commands a reader (or an agent) would paste into a shell. */
const COMMANDS = [
  /\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z|k|da)?sh\b/i,
  /(?:^|[\s`$(])npx\s+\S/i,
  /\bclaude\s+mcp\s+add\b/i,
  /^\s*(?:[-*+>]\s*|\d+[.)]\s*)?(?:\$\s*)?(?:please\s+)?run\b/i,
];

export function isInstruction(line: string): boolean {
  return ADDRESSES_AGENT.some((re) => re.test(line)) || COMMANDS.some((re) => re.test(line));
}

/** The text without the lines that address an agent or are commands to run. */
export function withoutInstructions(text: string): string {
  const lines = text.split('\n');
  const kept = lines.filter((line) => !isInstruction(line));
  return kept.length === lines.length
    ? text
    : kept
        .join('\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
}

/** Only for the addressing patterns: session sentences legitimately contain imperatives. */
export function addressesAgent(text: string): boolean {
  return ADDRESSES_AGENT.some((re) => re.test(text));
}

/** Session requirements and doc excerpts as the design stage may quote them. */
export function quotableSessions(sessions: SessionContext): SessionContext {
  return { ...sessions, requirements: sessions.requirements.filter((r) => !addressesAgent(r.sentence)) };
}

export function quotableDocs(docs: DocsContext): DocsContext {
  const refs = docs.refs.map((r) => ({
    ...r,
    title: isInstruction(r.title) ? 'section' : r.title,
    excerpt: withoutInstructions(r.excerpt),
  }));
  return { ...docs, refs };
}
