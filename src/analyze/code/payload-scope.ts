// The names visible at a point of the fact walk, for payload inference: `const` bindings with a
// known value type or object literal, and the parameters and `let`/`var` names that shadow them.
// Function-level only: block scopes are rare enough around emits not to be worth the cost.
import { type AstNode, type LineIndex, rootSegment, unwrap } from './ast.js';
import { annotatedSite, dataSite, type PayloadSite, type Scope, type ScopeEntry, type TypeDecls, tsTypeText, valueType } from './payloads.js';

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
  constructor(
    private readonly lines: LineIndex,
    private readonly decls: TypeDecls = new Map(),
  ) {}

  /** A name the code annotates (`n: Notification`, `symbol: string`): the type and fields the annotation states. */
  private annotated(id: AstNode): ScopeEntry | null {
    const ann = id?.type === 'Identifier' ? id.typeAnnotation?.typeAnnotation : null;
    if (!ann) return null;
    const t = tsTypeText(ann, this.decls);
    const site = annotatedSite(ann, this.lines, this.decls);
    return t === 'unknown' && !site ? null : { type: t === 'Record<string, unknown>' && !site ? 'unknown' : t, site };
  }

  /** Innermost binding first, so a parameter hides an outer const of the same name. */
  readonly lookup: Scope = (name) => {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const e = this.scopes[i]?.get(name);
      if (e) return e;
    }
    return undefined;
  };

  /**
   * Parameters shadow outer names; an annotated one carries what its annotation states, and the
   * first parameter of an event handler (`handlerLine`, the line it is registered at) is that
   * event's payload: sent on unchanged, it echoes it (PayloadSite.echo).
   */
  enterFunction(fn: AstNode, handlerLine?: number): void {
    const scope = new Map<string, ScopeEntry>();
    (fn.params as AstNode[]).forEach((p, i) => {
      const target = p?.type === 'TSParameterProperty' ? p.parameter : p;
      for (const b of bindingNames(target)) scope.set(b, UNKNOWN);
      const typed = this.annotated(target);
      if (typed && target.type === 'Identifier') scope.set(target.name as string, typed);
      else if (i === 0 && handlerLine !== undefined && target?.type === 'Identifier')
        scope.set(target.name as string, { type: 'unknown', site: { fields: [], complete: false, echo: { line: handlerLine } } });
    });
    this.scopes.push(scope);
  }

  exitFunction(): void {
    this.scopes.pop();
  }

  /** A `VariableDeclaration`: consts get their value's type and fields, other bindings shadow. */
  declare(n: AstNode): void {
    const top = this.scopes[this.scopes.length - 1] as Map<string, ScopeEntry>;
    for (const d of n.declarations as AstNode[]) {
      const typed = this.annotated(d.id);
      if (n.kind === 'const' && d.id?.type === 'Identifier' && d.init) {
        const init = unwrap(d.init);
        const site: PayloadSite | null = typed?.site ?? dataSite(init, this.lines, this.lookup);
        top.set(d.id.name, { type: typed && typed.type !== 'unknown' ? typed.type : valueType(init, this.lookup), site });
      } else for (const b of bindingNames(d.id)) top.set(b, UNKNOWN);
    }
  }

  /** `message.extra = …` after `const message = {…}`: the literal no longer lists every key. */
  assigned(target: string): void {
    if (!target.includes('.')) {
      // A parameter given a new value no longer echoes what the handler received.
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const m = this.scopes[i] as Map<string, ScopeEntry>;
        if (m.has(target)) {
          if (m.get(target)?.site?.echo) m.set(target, UNKNOWN);
          return;
        }
      }
      return;
    }
    const site = this.lookup(rootSegment(target))?.site;
    if (site) site.complete = false;
    // `move.x = …`: what is sent on is no longer what came in.
    if (site?.echo) delete site.echo;
  }
}
