// What a retry timer's delay says about its schedule. Jitter is a Math.random() anywhere in the
// delay expression (`base * (0.5 + Math.random())`, `base + Math.random() * 1000`); growth per
// attempt is `2 ** n`, `Math.pow`, `<<` or `* 2`. A local variable is read as the expression it
// was initialised with, so `const delay = …; setTimeout(open, delay)` counts, and a fixed
// `setTimeout(open, 5000)` stays un-jittered.
import { type AstNode, pathOf } from './ast.js';

export interface DelayShape {
  jitter: boolean;
  backoff: boolean;
}

const isTwo = (n: AstNode): boolean => n?.type === 'Literal' && n.value === 2;
const SKIP = new Set(['type', 'start', 'end', 'range', 'loc', 'typeAnnotation', 'typeArguments']);

export function delayShape(node: AstNode, inits: ReadonlyMap<string, AstNode>): DelayShape {
  const out: DelayShape = { jitter: false, backoff: false };
  const followed = new Set<string>();
  const walk = (n: AstNode, depth: number): void => {
    if (!n || typeof n !== 'object' || depth > 16) return;
    if (Array.isArray(n)) {
      for (const c of n) walk(c, depth + 1);
      return;
    }
    switch (n.type) {
      // A function in the delay is not evaluated there: its body says nothing about this delay.
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return;
      case 'Identifier': {
        const init = inits.get(n.name);
        if (init && !followed.has(n.name)) {
          followed.add(n.name);
          walk(init, depth + 1);
        }
        return;
      }
      // `cfg.delay`: the property name is not a variable.
      case 'MemberExpression':
        walk(n.object, depth + 1);
        if (n.computed) walk(n.property, depth + 1);
        return;
      case 'CallExpression': {
        const p = pathOf(n.callee);
        if (p === 'Math.random') out.jitter = true;
        if (p === 'Math.pow') out.backoff = true;
        break;
      }
      case 'BinaryExpression':
        if (n.operator === '**' || n.operator === '<<' || (n.operator === '*' && (isTwo(n.left) || isTwo(n.right)))) out.backoff = true;
        break;
      default:
        break;
    }
    for (const key in n) if (!SKIP.has(key)) walk(n[key], depth + 1);
  };
  walk(node, 0);
  return out;
}
