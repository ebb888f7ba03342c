// Every diagram of every test plan parses with mermaid's own parser, including a project
// whose names are hostile (quotes, pipes, backticks, `end`, `%%`, newlines, emoji).
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/design/index.js';
import { validateMermaid } from '../../src/diagrams/validate.js';
import { ALL, hostileInput } from './inputs.js';

describe('diagrams', () => {
  const cases = { ...ALL, hostile: hostileInput };
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: every diagram parses`, async () => {
      const plan = buildPlan(make());
      // Architecture and every drawn key flow; fewer means a section lost its diagram. (A standard flow
      // whose opening event the code lacks is cited from the protocol note, not drawn.)
      expect(plan.diagrams.length).toBe(1 + plan.protocol.flows.length);
      for (const d of [...plan.diagrams, ...(plan.protocol.citedFlows?.flows ?? []).map((f) => f.diagram)]) {
        const result = await validateMermaid(d.source);
        expect(result, `${d.title}\n${d.source}`).toEqual({ valid: true });
      }
    });
  }
});
