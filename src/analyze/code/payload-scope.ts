// The names visible at a point of the fact walk, for payload inference: `const` bindings with a
// known value type or object literal, and the parameters and `let`/`var` names that shadow them.
// Function-level only: block scopes are rare enough around emits not to be worth the cost.
import { type AstNode, type LineIndex, rootSegment, unwrap } from './ast.js';
import { dataSite, type Scope, type ScopeEntry, valueType } from './payloads.js';

const UNKNOWN: ScopeEntry = { type: 'unknown', site: null };

/** Names a parameter or declaration pattern binds. */
export function bindingNames(p: AstNode): string[] {
  if (!p) return [];
  switch (p.type) {
    case 'Identifier':
      return [p.name as string];
    case 'AssignmentPattern':
      return bindingNames(p.left);
    case 'RestElement':
      return bindingNames(p.argument);
    case 'ArrayPattern':
      return (p.elements as AstNode[]).flatMap(bindingNames);
    case 'ObjectPattern':
      return (p.properties as AstNode[]).flatMap((q) => bindingNames(q.type === 'RestElement' ? q.argument : q.value));
    default:
      return [];
  }
}

export class PayloadScopes {
  private readonly scopes: Map<string, ScopeEntry>[] = [new Map()];
  constructor(private readonly lines: LineIndex) {}

  /** Innermost binding first, so a parameter hides an outer const of the same name. */
  readonly lookup: Scope = (name) => {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i]?.get(name);
      if (e) return e;
    }
    return undefined;
  };

  enterFunction(fn: AstNode): void {
    this.scopes.push(new Map((fn.params as AstNode[]).flatMap(bindingNames).map((b) => [b, UNKNOWN])));
  }

  exitFunction(): void {
    this.scopes.pop();
  }

  /** A `VariableDeclaration`: consts get their value's type and fields, other bindings shadow. */
  declare(n: AstNode): void {
    const top = this.scopes[this.scopes.length - 1] as Map<string, ScopeEntry>;
    for (const d of n.declarations as AstNode[]) {
      if (n.kind === 'const' && d.id?.type === 'Identifier' && d.init) {
        const init = unwrap(d.init);
        top.set(d.id.name, { type: valueType(init, this.lookup), site: dataSite(init, this.lines, this.lookup) });
      } else for (const b of bindingNames(d.id)) top.set(b, UNKNOWN);
    }
  }

  /** `message.extra = …` after `const message = {…}`: the literal no longer lists every key. */
  assigned(target: string): void {
    const site = target.includes('.') ? this.lookup(rootSegment(target))?.site : null;
    if (site) site.complete = false;
  }
}
