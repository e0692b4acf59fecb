// Label selectors, as k8s.io/apimachinery/pkg/labels (the string grammar kubectl and
// clients send as `?labelSelector=`) and metav1.LabelSelector (the object form in specs:
// matchLabels plus matchExpressions).
//
// String grammar (upstream labels.Parse):
//
//   <selector>    ::= <requirement> | <requirement> "," <selector>
//   <requirement> ::= [!] KEY [ <set-based> | <exact> | <ordering> ]
//   <set-based>   ::= ("in" | "notin") "(" VALUE { "," VALUE } ")"
//   <exact>       ::= ("=" | "==" | "!=") VALUE
//   <ordering>    ::= (">" | "<") INTEGER
//
// KEY is a qualified name, VALUE a label value (possibly empty); whitespace separates
// tokens. The empty string selects everything. Requirements are kept sorted by key.
//
// Parse errors are 400 BadRequest ApiErrors worded as upstream words them, followed by
// ` (at position N)`: the 0-based offset in the input of the offending token.

import { ApiError, type FieldError, FieldPath, badRequest, fieldErrors, formatFieldError } from '../errors/index.js';
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from '../validation/names.js';

/** Upstream selection.Operator values. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

const binaryOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const allOperators: readonly LabelOperator[] = [...binaryOperators, 'exists', '!'];

/** One condition on one label; a selector is the AND of its requirements. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and without duplicates for `in`/`notin`; one value for `=`, `==`, `!=`, `gt`, `lt`; none otherwise. */
  readonly values: readonly string[];
}

/** A set of labels, as found in metadata.labels. */
export type Labels = Readonly<Record<string, string>>;

/** metav1.LabelSelectorRequirement, as it appears in an object. */
export interface LabelSelectorRequirementInput {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

/** metav1.LabelSelector, as it appears in an object (e.g. a Deployment's spec.selector). */
export interface LabelSelectorInput {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirementInput[] | null;
}

// ---------------------------------------------------------------------------
// Requirements

function lookup(labels: Labels | null | undefined, key: string): string | undefined {
  if (labels === null || labels === undefined || !Object.hasOwn(labels, key)) return undefined;
  const v = labels[key];
  return typeof v === 'string' ? v : undefined;
}

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64), or undefined when it would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < MIN_INT64 || n > MAX_INT64 ? undefined : n;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Byte-wise order, as Go's `<` on strings (code-unit order agrees for the ASCII that valid keys and values are made of). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The problems with a requirement, as upstream NewRequirement reports them: the key must
 * be a qualified name; `in`/`notin` need values; `=`, `==`, `!=` exactly one; `exists`
 * and `!` none; `gt`/`lt` exactly one integer; every value must be a label value.
 */
export function labelRequirementErrors(key: string, operator: string, values: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('');
  const keyMsgs = typeof key === 'string' ? isQualifiedName(key) : ['must be a string'];
  if (keyMsgs.length > 0) errs.push(fieldErrors.invalid(path.child('key'), key, keyMsgs.join('; ')));
  const valuePath = path.child('values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldErrors.invalid(valuePath, [...values], "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldErrors.invalid(valuePath, [...values], 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldErrors.invalid(valuePath, [...values], 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldErrors.invalid(valuePath, [...values], "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(fieldErrors.invalid(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(fieldErrors.notSupported(path.child('operator'), operator, allOperators));
  }
  values.forEach((v, i) => {
    const msgs = typeof v === 'string' ? isValidLabelValue(v) : ['must be a string'];
    if (msgs.length > 0) errs.push(fieldErrors.invalid(valuePath.index(i).key(key), v, msgs.join('; ')));
  });
  return errs;
}

/** Upstream's aggregate error text: one message as it is, several as `[a, b]` (duplicates dropped). */
function aggregateMessage(errs: readonly FieldError[]): string {
  const msgs = [...new Set(errs.map(formatFieldError))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

function makeRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const vals = operator === 'in' || operator === 'notin' ? sortedUnique(values) : [...values];
  return Object.freeze({ key, operator, values: Object.freeze(vals) });
}

/**
 * A validated requirement. Throws a 400 BadRequest ApiError when it is invalid (see
 * labelRequirementErrors). Values of `in`/`notin` are sorted and de-duplicated.
 */
export function newLabelRequirement(key: string, operator: LabelOperator, values: readonly string[] = []): LabelRequirement {
  const errs = labelRequirementErrors(key, operator, values);
  if (errs.length > 0) throw badRequest(aggregateMessage(errs));
  return makeRequirement(key, operator, values);
}

/** Whether one requirement holds for a set of labels (upstream Requirement.Matches). */
export function labelRequirementMatches(r: LabelRequirement, labels: Labels | null | undefined): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==': {
      const v = lookup(labels, r.key);
      return v !== undefined && r.values.includes(v);
    }
    case 'notin':
    case '!=': {
      const v = lookup(labels, r.key);
      return v === undefined || !r.values.includes(v);
    }
    case 'exists':
      return lookup(labels, r.key) !== undefined;
    case '!':
      return lookup(labels, r.key) === undefined;
    case 'gt':
    case 'lt': {
      const v = lookup(labels, r.key);
      if (v === undefined || r.values.length !== 1) return false;
      const have = parseInt64(v);
      const want = parseInt64(r.values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A requirement's canonical text (upstream Requirement.String). */
export function labelRequirementToString(r: LabelRequirement): string {
  const setBased = r.operator === 'in' || r.operator === 'notin';
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
    default:
      s += r.operator;
  }
  const vals = r.values.length === 1 ? r.values[0]! : [...r.values].sort(compareStrings).join(',');
  return setBased ? `${s}(${vals})` : s + vals;
}

// ---------------------------------------------------------------------------
// The selector

/**
 * A label selector (upstream labels.Selector): the AND of its requirements, which are
 * kept sorted by key. `LabelMatcher.everything()` has no requirements and matches every
 * set of labels; `LabelMatcher.nothing()` matches none (a nil metav1.LabelSelector).
 */
export class LabelMatcher {
  private static readonly all = new LabelMatcher([], false);
  private static readonly none = new LabelMatcher([], true);

  readonly requirements: readonly LabelRequirement[];

  private constructor(
    requirements: readonly LabelRequirement[],
    private readonly selectsNothing: boolean,
  ) {
    this.requirements = Object.freeze([...requirements]);
  }

  /** The selector that matches everything (the empty string, an empty metav1.LabelSelector). */
  static everything(): LabelMatcher {
    return LabelMatcher.all;
  }

  /** The selector that matches nothing (a nil metav1.LabelSelector). */
  static nothing(): LabelMatcher {
    return LabelMatcher.none;
  }

  /** A selector of these requirements (stably sorted by key). */
  static of(requirements: Iterable<LabelRequirement>): LabelMatcher {
    const reqs = [...requirements];
    if (reqs.length === 0) return LabelMatcher.all;
    return new LabelMatcher(
      reqs.sort((a, b) => compareStrings(a.key, b.key)),
      false,
    );
  }

  /** Whether every requirement holds for these labels (undefined counts as no labels). */
  matches(labels?: Labels | null): boolean {
    if (this.selectsNothing) return false;
    for (const r of this.requirements) if (!labelRequirementMatches(r, labels)) return false;
    return true;
  }

  /** True when the selector does not restrict anything (matches everything). */
  isEmpty(): boolean {
    return !this.selectsNothing && this.requirements.length === 0;
  }

  /** True only for the selector that matches nothing. */
  matchesNothing(): boolean {
    return this.selectsNothing;
  }

  /** A new selector with more requirements (the nothing selector stays nothing). */
  add(...requirements: LabelRequirement[]): LabelMatcher {
    if (this.selectsNothing) return this;
    return LabelMatcher.of([...this.requirements, ...requirements]);
  }

  /**
   * When the selector requires one specific value for `key` (`=`, `==`, or `in` with one
   * value), that value (upstream RequiresExactMatch); otherwise undefined.
   */
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }

  /** The canonical string: requirements in key order, joined by ','. Everything and nothing are both ''. */
  toString(): string {
    return this.requirements.map(labelRequirementToString).join(',');
  }
}

// ---------------------------------------------------------------------------
// The string parser (a port of upstream's lexer and recursive-descent parser, with
// token positions added)

type Tok =
  | 'EOS'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

interface Token {
  tok: Tok;
  lit: string;
  pos: number;
}

const string2token: Readonly<Record<string, Tok>> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  in: 'In',
  '<': 'LessThan',
  '!=': 'NotEquals',
  notin: 'NotIn',
  '(': 'OpenPar',
};

function tokenOf(s: string): Tok | undefined {
  return Object.hasOwn(string2token, s) ? string2token[s] : undefined;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isWhitespace(s[i]!)) i++;
    if (i >= s.length) {
      out.push({ tok: 'EOS', lit: '', pos: s.length });
      return out;
    }
    const start = i;
    if (isSpecialSymbol(s[i]!)) {
      // Longest run of special symbols that is still a token ("!=", "==").
      let lit = s[i]!;
      i++;
      while (i < s.length && isSpecialSymbol(s[i]!) && tokenOf(lit + s[i]!) !== undefined) {
        lit += s[i]!;
        i++;
      }
      out.push({ tok: tokenOf(lit)!, lit, pos: start });
    } else {
      while (i < s.length && !isSpecialSymbol(s[i]!) && !isWhitespace(s[i]!)) i++;
      const lit = s.slice(start, i);
      out.push({ tok: tokenOf(lit) ?? 'Identifier', lit, pos: start });
    }
  }
}

/** A parse failure: upstream's message, and where in the input it happened. */
class ParseFailure {
  constructor(
    readonly message: string,
    readonly pos: number,
  ) {}
}

type Context = 'KeyAndOperator' | 'Values';

class Parser {
  private position = 0;

  constructor(private readonly items: Token[]) {}

  private item(ctx: Context, at: number): Token {
    const t = this.items[Math.min(at, this.items.length - 1)]!;
    // In the Values context, 'in' and 'notin' are plain identifiers ("x in (in)").
    if (ctx === 'Values' && (t.tok === 'In' || t.tok === 'NotIn')) return { ...t, tok: 'Identifier' };
    return t;
  }

  private lookahead(ctx: Context): Token {
    return this.item(ctx, this.position);
  }

  private consume(ctx: Context): Token {
    const t = this.item(ctx, this.position);
    if (this.position < this.items.length - 1) this.position++;
    return t;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const t = this.lookahead('Values');
      switch (t.tok) {
        case 'Identifier':
        case 'DoesNotExist': {
          try {
            reqs.push(this.parseRequirement());
          } catch (e) {
            if (e instanceof ParseFailure) throw new ParseFailure(`unable to parse requirement: ${e.message}`, e.pos);
            throw e;
          }
          const next = this.consume('Values');
          switch (next.tok) {
            case 'EOS':
              return reqs;
            case 'Comma': {
              const t2 = this.lookahead('Values');
              if (t2.tok !== 'Identifier' && t2.tok !== 'DoesNotExist') {
                throw new ParseFailure(`found '${t2.lit}', expected: identifier after ','`, t2.pos);
              }
              break;
            }
            default:
              throw new ParseFailure(`found '${next.lit}', expected: ',' or 'end of string'`, next.pos);
          }
          break;
        }
        case 'EOS':
          return reqs;
        default:
          throw new ParseFailure(`found '${t.lit}', expected: !, identifier, or 'end of string'`, t.pos);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const start = this.lookahead('Values').pos;
    const { key, keyPos, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return this.build(key, keyPos, inferred, new Map(), start);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    return this.build(key, keyPos, operator, values, start);
  }

  private build(key: string, keyPos: number, op: LabelOperator, map: Map<string, number>, start: number): LabelRequirement {
    const vals = sortedUnique(map.keys());
    const errs = labelRequirementErrors(key, op, vals);
    if (errs.length > 0) {
      // Point at the first offending value, else at the key, else at the requirement.
      let pos = start;
      const first = errs[0]!;
      if (first.field === 'key') pos = keyPos;
      else if (typeof first.value === 'string' && map.has(first.value)) pos = map.get(first.value)!;
      throw new ParseFailure(aggregateMessage(errs), pos);
    }
    return makeRequirement(key, op, vals);
  }

  private parseKeyAndInferOperator(): { key: string; keyPos: number; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let t = this.consume('Values');
    if (t.tok === 'DoesNotExist') {
      operator = '!';
      t = this.consume('Values');
    }
    if (t.tok !== 'Identifier') throw new ParseFailure(`found '${t.lit}', expected: identifier`, t.pos);
    const keyMsgs = isQualifiedName(t.lit);
    if (keyMsgs.length > 0) {
      throw new ParseFailure(formatFieldError(fieldErrors.invalid('key', t.lit, keyMsgs.join('; '))), t.pos);
    }
    const next = this.lookahead('Values');
    if ((next.tok === 'EOS' || next.tok === 'Comma') && operator !== '!') operator = 'exists';
    return { key: t.lit, keyPos: t.pos, operator };
  }

  private parseOperator(): LabelOperator {
    const t = this.consume('KeyAndOperator');
    switch (t.tok) {
      case 'In':
        return 'in';
      case 'Equals':
        return '=';
      case 'DoubleEquals':
        return '==';
      case 'GreaterThan':
        return 'gt';
      case 'LessThan':
        return 'lt';
      case 'NotIn':
        return 'notin';
      case 'NotEquals':
        return '!=';
      default:
        throw new ParseFailure(`found '${t.lit}', expected: ${binaryOperators.join(', ')}`, t.pos);
    }
  }

  /** `( v1, v2 ... )`: values with the position each was first seen at. */
  private parseValues(): Map<string, number> {
    const open = this.consume('Values');
    if (open.tok !== 'OpenPar') throw new ParseFailure(`found '${open.lit}' expected: '('`, open.pos);
    const t = this.lookahead('Values');
    switch (t.tok) {
      case 'Identifier':
      case 'Comma': {
        const s = this.parseIdentifiersList();
        const close = this.consume('Values');
        if (close.tok !== 'ClosedPar') throw new ParseFailure(`found '${close.lit}', expected: ')'`, close.pos);
        return s;
      }
      case 'ClosedPar':
        // "()" is the set of the empty value.
        this.consume('Values');
        return new Map([['', t.pos]]);
      default:
        throw new ParseFailure(`found '${t.lit}', expected: ',', ')' or identifier`, t.pos);
    }
  }

  private parseIdentifiersList(): Map<string, number> {
    const s = new Map<string, number>();
    const add = (v: string, pos: number): void => {
      if (!s.has(v)) s.set(v, pos);
    };
    for (;;) {
      const t = this.consume('Values');
      switch (t.tok) {
        case 'Identifier': {
          add(t.lit, t.pos);
          const t2 = this.lookahead('Values');
          if (t2.tok === 'Comma') continue;
          if (t2.tok === 'ClosedPar') return s;
          throw new ParseFailure(`found '${t2.lit}', expected: ',' or ')'`, t2.pos);
        }
        case 'Comma': {
          // Empty values: "(,a)", "(a,)", "(a,,b)".
          if (s.size === 0) add('', t.pos);
          const t2 = this.lookahead('Values');
          if (t2.tok === 'ClosedPar') {
            add('', t2.pos);
            return s;
          }
          if (t2.tok === 'Comma') add('', t2.pos);
          break;
        }
        default:
          throw new ParseFailure(`found '${t.lit}', expected: ',', or identifier`, t.pos);
      }
    }
  }

  private parseExactValue(): Map<string, number> {
    const t = this.lookahead('Values');
    if (t.tok === 'EOS' || t.tok === 'Comma') return new Map([['', t.pos]]);
    const v = this.consume('Values');
    if (v.tok === 'Identifier') return new Map([[v.lit, v.pos]]);
    throw new ParseFailure(`found '${v.lit}', expected: identifier`, v.pos);
  }
}

/**
 * Parses a label selector string (upstream labels.Parse). The empty string (or only
 * whitespace) selects everything. Throws a 400 BadRequest ApiError naming the offending
 * token and its position.
 */
export function parseLabelSelector(text: string): LabelMatcher {
  if (typeof text !== 'string') throw badRequest('label selector must be a string');
  try {
    return LabelMatcher.of(new Parser(lex(text)).parse());
  } catch (e) {
    if (e instanceof ParseFailure) throw badRequest(`${e.message} (at position ${e.pos})`);
    if (e instanceof ApiError) throw e;
    throw badRequest(`unable to parse label selector: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A selector matching exactly these labels (upstream SelectorFromSet): one `=`
 * requirement per label, not validated. An empty or absent set selects everything.
 */
export function labelSelectorFromSet(set: Labels | null | undefined): LabelMatcher {
  if (set === null || set === undefined) return LabelMatcher.everything();
  return LabelMatcher.of(Object.keys(set).map((k) => makeRequirement(k, '=', [set[k]!])));
}

/** As labelSelectorFromSet, but every key and value is validated (throws a 400). */
export function validatedLabelSelectorFromSet(set: Labels | null | undefined): LabelMatcher {
  if (set === null || set === undefined) return LabelMatcher.everything();
  return LabelMatcher.of(Object.keys(set).map((k) => newLabelRequirement(k, '=', [set[k]!])));
}

// ---------------------------------------------------------------------------
// The object form (metav1.LabelSelector)

const objectOperators: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * The selector an object's metav1.LabelSelector stands for (upstream
 * LabelSelectorAsSelector): null/undefined selects nothing, an empty selector (no
 * matchLabels, no matchExpressions) selects everything; otherwise matchLabels become `=`
 * requirements and matchExpressions In/NotIn/Exists/DoesNotExist requirements. Throws a
 * 400 BadRequest ApiError for an unknown operator or an invalid requirement.
 */
export function labelSelectorFromObject(selector: LabelSelectorInput | null | undefined): LabelMatcher {
  if (selector === null || selector === undefined) return LabelMatcher.nothing();
  if (typeof selector !== 'object' || Array.isArray(selector)) throw badRequest('a label selector must be an object');
  const matchLabels = selector.matchLabels ?? {};
  const matchExpressions = selector.matchExpressions ?? [];
  if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) throw badRequest('matchLabels must be an object');
  if (!Array.isArray(matchExpressions)) throw badRequest('matchExpressions must be an array');
  const labelKeys = Object.keys(matchLabels).sort(compareStrings);
  if (labelKeys.length + matchExpressions.length === 0) return LabelMatcher.everything();
  const reqs: LabelRequirement[] = [];
  for (const k of labelKeys) reqs.push(newLabelRequirement(k, '=', [matchLabels[k]!]));
  for (const expr of matchExpressions) {
    const op = typeof expr?.operator === 'string' && Object.hasOwn(objectOperators, expr.operator) ? objectOperators[expr.operator] : undefined;
    if (op === undefined) throw badRequest(`${JSON.stringify(expr?.operator ?? '')} is not a valid label selector operator`);
    const values = expr.values ?? [];
    if (!Array.isArray(values)) throw badRequest('matchExpressions values must be an array');
    reqs.push(newLabelRequirement(expr.key, op, [...values]));
  }
  return LabelMatcher.of(reqs);
}

/**
 * The canonical selector string of an object's metav1.LabelSelector (as a Scale's
 * status.selector carries it): '' for both everything and nothing. Throws as
 * labelSelectorFromObject.
 */
export function labelSelectorToString(selector: LabelSelectorInput | null | undefined): string {
  return labelSelectorFromObject(selector).toString();
}

/** For display, as upstream FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: LabelSelectorInput | null | undefined): string {
  try {
    const s = labelSelectorToString(selector);
    return s === '' ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

/**
 * Field errors for an object's metav1.LabelSelector at `path` (upstream
 * ValidateLabelSelector): matchLabels as labels; each matchExpression's operator (values
 * required for In/NotIn, forbidden for Exists/DoesNotExist), key, and values. A null
 * selector is valid here (callers that require one check for it).
 */
export function validateLabelSelector(selector: LabelSelectorInput | null | undefined, path: FieldPath | string): FieldError[] {
  const errs: FieldError[] = [];
  if (selector === null || selector === undefined) return errs;
  const at = typeof path === 'string' ? FieldPath.root(path) : path;
  if (typeof selector !== 'object' || Array.isArray(selector)) {
    return [fieldErrors.typeInvalid(at, selector, 'must be an object')];
  }
  errs.push(...validateLabels(selector.matchLabels, at.child('matchLabels')));
  const exprs = selector.matchExpressions ?? [];
  if (!Array.isArray(exprs)) return [...errs, fieldErrors.typeInvalid(at.child('matchExpressions'), exprs, 'must be an array')];
  exprs.forEach((expr: LabelSelectorRequirementInput | null | undefined, i: number) => {
    const ep = at.child('matchExpressions').index(i);
    if (expr === null || typeof expr !== 'object') {
      errs.push(fieldErrors.typeInvalid(ep, expr, 'must be an object'));
      return;
    }
    const rawValues: unknown = expr.values ?? [];
    if (!Array.isArray(rawValues)) errs.push(fieldErrors.typeInvalid(ep.child('values'), rawValues, 'must be an array'));
    const values: readonly unknown[] = Array.isArray(rawValues) ? rawValues : [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldErrors.required(ep.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldErrors.forbidden(ep.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldErrors.invalid(ep.child('operator'), expr.operator, 'not a valid selector operator'));
    }
    if (typeof expr.key !== 'string') errs.push(fieldErrors.required(ep.child('key')));
    else errs.push(...validateLabelName(expr.key, ep.child('key')));
    values.forEach((v, j) => {
      if (typeof v !== 'string') {
        errs.push(fieldErrors.typeInvalid(ep.child('values').index(j), v, 'must be a string'));
        return;
      }
      for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid(ep.child('values').index(j), v, msg));
    });
  });
  return errs;
}
