// Project templates are code from the project: the private Handlebars instance gets no helper
// with side effects (the built-in `log` wrote to stdout, corrupting --json and MCP framing),
// and a render budget, so a template that expands exponentially through nested partials or
// helpers stops with a clear error instead of running until the heap gives out.
import type Handlebars from 'handlebars';

export interface RenderBudget {
  maxMs: number;
  /** Characters produced by partials, counted at every level (an upper bound on the output). */
  maxChars: number;
}

export const DEFAULT_BUDGET: RenderBudget = { maxMs: 10_000, maxChars: 20 * 1024 * 1024 };

export class RenderBudgetError extends Error {}

type Env = typeof Handlebars;

/** Disables side-effecting helpers and wraps every helper; returns the partial wrapper. */
export function guardEnvironment(hbs: Env, budget: RenderBudget = DEFAULT_BUDGET) {
  const start = Date.now();
  let chars = 0;
  const check = (): void => {
    if (Date.now() - start > budget.maxMs) throw new RenderBudgetError(`rendering took longer than ${budget.maxMs / 1000} s`);
    if (chars > budget.maxChars) throw new RenderBudgetError(`rendering produced more than ${Math.round(budget.maxChars / 1024 / 1024)} MB`);
  };
  const noop = () => '';
  hbs.registerHelper('log', noop);
  hbs.log = noop as Env['log'];
  for (const [name, helper] of Object.entries(hbs.helpers)) {
    if (name === 'log') continue;
    hbs.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      check();
      return (helper as (...a: unknown[]) => unknown).apply(this, args);
    });
  }
  return (partial: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate =>
    (context, options) => {
      check();
      const out = partial(context, options);
      chars += out.length;
      check();
      return out;
    };
}
