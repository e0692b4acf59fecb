// Node selector terms as upstream evaluates them (k8s.io/component-helpers/scheduling/corev1/nodeaffinity):
// terms are ORed, the requirements of a term ANDed; matchExpressions test the node's labels
// (In, NotIn, Exists, DoesNotExist, Gt, Lt), matchFields its metadata.name (In, NotIn). A term
// is compiled once per pod and then tested against every node. A malformed requirement (which
// validation should have refused) makes its term match no node, as upstream's lazy-error selector.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from '../framework/types.js';

type Fields = Readonly<Record<string, string>>;
type Test = (fields: Fields) => boolean;

/** A term ready to test nodes with; `errors` lists its malformed requirements (it then matches nothing). */
export interface CompiledTerm {
  errors: string[];
  matches(node: Node): boolean;
}

const has = (fields: Fields, key: string) => Object.hasOwn(fields, key);

/** strconv.ParseInt(s, 10, 64): an optional sign and decimal digits within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

function compareTest(r: NodeSelectorRequirement, values: string[]): Test | string {
  if (values.length !== 1) return `for 'Gt', 'Lt' operators, exactly one value is required`;
  const bound = parseInt64(values[0] as string);
  if (bound === undefined) return `for 'Gt', 'Lt' operators, the value must be an integer`;
  return (labels) => {
    const value = has(labels, r.key) ? parseInt64(labels[r.key] as string) : undefined;
    if (value === undefined) return false;
    return r.operator === 'Gt' ? value > bound : value < bound;
  };
}

/** A test of a node's labels, or why the requirement is malformed (as labels.NewRequirement says). */
function labelTest(r: NodeSelectorRequirement): Test | string {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) return `for 'in', 'notin' operators, values set can't be empty`;
      const within = (labels: Fields) => has(labels, r.key) && values.includes(labels[r.key] as string);
      return r.operator === 'In' ? within : (labels) => !within(labels);
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return `values set must be empty for exists and does not exist`;
      return r.operator === 'Exists' ? (labels) => has(labels, r.key) : (labels) => !has(labels, r.key);
    case 'Gt':
    case 'Lt':
      return compareTest(r, values);
    default:
      return `operator: Unsupported value: "${String(r.operator)}"`;
  }
}

/** A test of a node's fields; a field the node lacks reads as "", as in a fields.Set. */
function fieldTest(r: NodeSelectorRequirement): Test | string {
  if (r.operator !== 'In' && r.operator !== 'NotIn') return `operator: Unsupported value: "${String(r.operator)}": supported values: "In", "NotIn"`;
  if ((r.values ?? []).length !== 1) return `values: must have one element`;
  const wanted = (r.values as string[])[0];
  return r.operator === 'In' ? (fields) => (fields[r.key] ?? '') === wanted : (fields) => (fields[r.key] ?? '') !== wanted;
}

function compileRequirements(rs: NodeSelectorRequirement[], compile: (r: NodeSelectorRequirement) => Test | string, path: string) {
  const tests: Test[] = [];
  const errors: string[] = [];
  rs.forEach((r, i) => {
    const test = compile(r);
    if (typeof test === 'string') errors.push(`${path}[${i}]: ${test}`);
    else tests.push(test);
  });
  return { tests, errors };
}

const nodeFields = (node: Node): Fields => (node.metadata.name ? { 'metadata.name': node.metadata.name } : {});

/** undefined for a term without requirements: it selects no node, and upstream drops it. */
export function compileTerm(term: NodeSelectorTerm, path = ''): CompiledTerm | undefined {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return undefined;
  const byLabel = compileRequirements(expressions, labelTest, `${path}matchExpressions`);
  const byField = compileRequirements(fields, fieldTest, `${path}matchFields`);
  const errors = [...byLabel.errors, ...byField.errors];
  return {
    errors,
    matches(node) {
      if (errors.length > 0) return false;
      const labels = node.metadata.labels ?? {};
      if (!byLabel.tests.every((test) => test(labels))) return false;
      // Upstream skips the field requirements of a node without a name.
      const f = nodeFields(node);
      return Object.keys(f).length === 0 || byField.tests.every((test) => test(f));
    },
  };
}

/** The terms of a NodeSelector, ORed: does any of them match the node? `errors` lists malformed requirements. */
export function compileNodeSelector(terms: readonly NodeSelectorTerm[]): { errors: string[]; matches(node: Node): boolean } {
  const compiled = terms.flatMap((term, i) => compileTerm(term, `nodeSelectorTerms[${i}].`) ?? []);
  return { errors: compiled.flatMap((term) => term.errors), matches: (node) => compiled.some((term) => term.matches(node)) };
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** Preferred terms: a node scores the sum of the weights of the terms it matches. Terms of weight 0 or without requirements are dropped. */
export function compilePreferredTerms(terms: readonly PreferredSchedulingTerm[]): { errors: string[]; score(node: Node): number } {
  const weighted = terms.flatMap((t, i) => {
    const term = t.weight === 0 ? undefined : compileTerm(t.preference, `[${i}].preference.`);
    return term === undefined ? [] : [{ weight: t.weight, term }];
  });
  return {
    errors: weighted.flatMap((w) => w.term.errors),
    score: (node) => weighted.reduce((sum, w) => sum + (w.term.matches(node) ? w.weight : 0), 0),
  };
}
