// Field selectors, as k8s.io/apimachinery/pkg/fields (the `?fieldSelector=` grammar) and
// the per-kind field label conversions and selectable field sets of kube-apiserver
// (pkg/apis/*/v1/conversion.go AddFieldLabelConversionFunc, pkg/registry/*/strategy.go
// ToSelectableFields).
//
// Grammar: comma-separated terms `field=value`, `field==value` (same as `=`) or
// `field!=value`. The field is taken literally up to the first operator; in values
// `\,`, `\=` and `\\` stand for ',', '=' and '\', and an unescaped ',' or '=' is an error.
// Empty terms are skipped, so '' selects everything.
//
// Parse errors are 400 BadRequest ApiErrors worded as upstream words them, followed by
// ` (at position N)`: the 0-based offset in the input of the offending part.

import { badRequest } from '../errors/index.js';

/** A field requirement's operator: `==` is parsed as `=`, as upstream does. */
export type FieldOperator = '=' | '!=';

/** One condition on one field; a field selector is the AND of its requirements. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** The selectable fields of an object, as rendered for matching. */
export type Fields = Readonly<Record<string, string>>;

// ---------------------------------------------------------------------------
// Escaping

/** Escapes a literal value for use in a field selector: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

class FieldParseFailure {
  constructor(
    readonly message: string,
    readonly pos: number,
  ) {}
}

/** Unescapes a field selector value, reporting offsets relative to `base`. */
function unescapeAt(s: string, base: number): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  let slashPos = 0;
  let i = 0;
  for (const c of s) {
    const here = i;
    i += c.length;
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') {
        out += c;
        inSlash = false;
        continue;
      }
      throw new FieldParseFailure(`invalid field selector: invalid escape sequence: \\${c}`, base + slashPos);
    }
    if (c === '\\') {
      inSlash = true;
      slashPos = here;
    } else if (c === ',' || c === '=') {
      throw new FieldParseFailure(`invalid field selector: unescaped character in value: '${c}'`, base + here);
    } else {
      out += c;
    }
  }
  // Ending with a single backslash is an invalid sequence.
  if (inSlash) throw new FieldParseFailure('invalid field selector: invalid escape sequence: \\', base + slashPos);
  return out;
}

/** Unescapes a field selector value (upstream UnescapeValue); throws a 400 on a bad escape. */
export function unescapeFieldValue(s: string): string {
  try {
    return unescapeAt(s, 0);
  } catch (e) {
    if (e instanceof FieldParseFailure) throw badRequest(`${e.message} (at position ${e.pos})`);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// The selector

function get(fields: Fields | null | undefined, field: string): string {
  if (fields === null || fields === undefined || !Object.hasOwn(fields, field)) return '';
  const v = fields[field];
  return typeof v === 'string' ? v : '';
}

/** A requirement's canonical text: `field=escaped` or `field!=escaped`. */
export function fieldRequirementToString(r: FieldRequirement): string {
  return `${r.field}${r.operator}${escapeFieldValue(r.value)}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A field selector (upstream fields.Selector): the AND of `=` and `!=` requirements.
 * A missing field counts as the empty string, as upstream fields.Set.Get does.
 */
export class FieldMatcher {
  private static readonly all = new FieldMatcher([]);

  readonly requirements: readonly FieldRequirement[];

  private constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = Object.freeze(requirements.map((r) => Object.freeze({ ...r })));
  }

  /** The selector that matches everything. */
  static everything(): FieldMatcher {
    return FieldMatcher.all;
  }

  /** A selector of these requirements, in canonical order (sorted by their text). */
  static of(requirements: Iterable<FieldRequirement>): FieldMatcher {
    const reqs = [...requirements].map((r) => ({ field: r.field, operator: r.operator, value: r.value }));
    if (reqs.length === 0) return FieldMatcher.all;
    const keyed = reqs.map((r) => ({ r, s: fieldRequirementToString(r) }));
    keyed.sort((a, b) => compareStrings(a.s, b.s));
    return new FieldMatcher(keyed.map((k) => k.r));
  }

  /** Whether every requirement holds for these fields. */
  matches(fields?: Fields | null): boolean {
    for (const r of this.requirements) {
      const v = get(fields, r.field);
      if (r.operator === '=' ? v !== r.value : v === r.value) return false;
    }
    return true;
  }

  /** True when the selector does not restrict anything. */
  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /**
   * When the selector requires `field` to have one value (a `=` term), that value
   * (upstream RequiresExactMatch, which servers use to route `metadata.name=x` to a get
   * and `spec.nodeName=x` to an index); otherwise undefined.
   */
  requiresExactMatch(field: string): string | undefined {
    for (const r of this.requirements) if (r.field === field && r.operator === '=') return r.value;
    return undefined;
  }

  /**
   * A new selector with every requirement's field and value rewritten (upstream
   * Transform); a requirement whose field and value both become '' is dropped.
   */
  transform(fn: (field: string, value: string) => [field: string, value: string]): FieldMatcher {
    const out: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const [field, value] = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      out.push({ field, operator: r.operator, value });
    }
    return FieldMatcher.of(out);
  }

  /** A new selector with more requirements. */
  and(...requirements: FieldRequirement[]): FieldMatcher {
    return FieldMatcher.of([...this.requirements, ...requirements]);
  }

  /** The canonical string: terms sorted, `==` written `=`, values escaped. */
  toString(): string {
    return this.requirements.map(fieldRequirementToString).join(',');
  }
}

// ---------------------------------------------------------------------------
// Parsing

/** Splits on unescaped commas, keeping each term's start offset. */
function splitTerms(s: string): { text: string; pos: number }[] {
  if (s.length === 0) return [];
  const terms: { text: string; pos: number }[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push({ text: s.slice(start, i), pos: start });
      start = i + 1;
    }
  }
  terms.push({ text: s.slice(start), pos: start });
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** The field, operator and raw value of a term, split at the first operator. */
function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string; opPos: number } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length), opPos: i };
    }
  }
  return undefined;
}

/**
 * Parses a field selector string (upstream fields.ParseSelector). Any field name is
 * accepted here; parseFieldSelectorFor checks them against a resource. Throws a 400
 * BadRequest ApiError naming the offending part and its position.
 */
export function parseFieldSelector(text: string): FieldMatcher {
  if (typeof text !== 'string') throw badRequest('field selector must be a string');
  try {
    const reqs: FieldRequirement[] = [];
    for (const { text: part, pos } of splitTerms(text)) {
      if (part === '') continue;
      const t = splitTerm(part);
      if (t === undefined) throw new FieldParseFailure(`invalid selector: '${text}'; can't understand '${part}'`, pos);
      const value = unescapeAt(t.rhs, pos + t.opPos + t.op.length);
      reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
    }
    return FieldMatcher.of(reqs);
  } catch (e) {
    if (e instanceof FieldParseFailure) throw badRequest(`${e.message} (at position ${e.pos})`);
    throw e;
  }
}

/** A selector matching exactly these fields (upstream SelectorFromSet). */
export function fieldSelectorFromSet(set: Fields | null | undefined): FieldMatcher {
  if (set === null || set === undefined) return FieldMatcher.everything();
  return FieldMatcher.of(Object.keys(set).map((field) => ({ field, operator: '=' as const, value: set[field]! })));
}

/** `field=value` (upstream OneTermEqualSelector). */
export function oneTermEqualFieldSelector(field: string, value: string): FieldMatcher {
  return FieldMatcher.of([{ field, operator: '=', value }]);
}

// ---------------------------------------------------------------------------
// Per-resource supported fields and their values

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Go's strconv.Itoa of an int field (absent is 0). */
function int(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0';
}

/** Go's strconv.FormatBool of a bool field (absent is false). */
function bool(v: unknown): string {
  return v === true ? 'true' : 'false';
}

interface ResourceFields {
  /** Field labels accepted in a selector (upstream's conversion func cases). */
  supported: readonly string[];
  /** Labels rewritten before use (pods: spec.host → spec.nodeName). */
  aliases?: Readonly<Record<string, string>>;
  /** The resource's own selectable fields, beyond metadata.name and metadata.namespace. */
  extract?: (o: Obj) => Record<string, string>;
  /** Upstream's error text for an unsupported label (default: `field label not supported: <label>`). */
  reject?: (label: string) => string;
}

const META = ['metadata.name', 'metadata.namespace'] as const;

const resourceFields: Readonly<Record<string, ResourceFields>> = {
  pods: {
    supported: [
      ...META,
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    // Old v1 clients send spec.host.
    aliases: { 'spec.host': 'spec.nodeName' },
    extract: (o) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const podIPs = Array.isArray(status.podIPs) ? status.podIPs : [];
      const firstIP = podIPs.length > 0 ? str(obj(podIPs[0]).ip) : str(status.podIP);
      return {
        'spec.nodeName': str(spec.nodeName),
        'spec.restartPolicy': str(spec.restartPolicy),
        'spec.schedulerName': str(spec.schedulerName),
        // serviceAccount is the deprecated alias of serviceAccountName.
        'spec.serviceAccountName': str(spec.serviceAccountName) || str(spec.serviceAccount),
        'spec.hostNetwork': bool(spec.hostNetwork),
        'status.phase': str(status.phase),
        'status.podIP': firstIP,
        'status.nominatedNodeName': str(status.nominatedNodeName),
      };
    },
  },
  nodes: {
    supported: ['metadata.name', 'spec.unschedulable'],
    extract: (o) => ({ 'spec.unschedulable': bool(obj(o.spec).unschedulable) }),
  },
  namespaces: {
    supported: ['status.phase', 'metadata.name'],
    extract: (o) => ({ 'status.phase': str(obj(o.status).phase) }),
  },
  events: {
    supported: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      ...META,
    ],
    extract: (o) => {
      const io = obj(o.involvedObject);
      const reporting = str(o.reportingComponent);
      return {
        'involvedObject.kind': str(io.kind),
        'involvedObject.namespace': str(io.namespace),
        'involvedObject.name': str(io.name),
        'involvedObject.uid': str(io.uid),
        'involvedObject.apiVersion': str(io.apiVersion),
        'involvedObject.resourceVersion': str(io.resourceVersion),
        'involvedObject.fieldPath': str(io.fieldPath),
        reason: str(o.reason),
        reportingComponent: reporting,
        // source.component, falling back to the reporting controller.
        source: str(obj(o.source).component) || reporting,
        type: str(o.type),
      };
    },
  },
  secrets: {
    supported: ['type', ...META],
    extract: (o) => ({ type: str(o.type) }),
  },
  services: {
    supported: [...META, 'spec.clusterIP', 'spec.type'],
    extract: (o) => {
      const spec = obj(o.spec);
      return { 'spec.clusterIP': str(spec.clusterIP), 'spec.type': str(spec.type) };
    },
  },
  replicationcontrollers: {
    supported: [...META, 'status.replicas'],
    extract: (o) => ({ 'status.replicas': int(obj(o.status).replicas) }),
  },
  replicasets: {
    supported: [...META, 'status.replicas'],
    extract: (o) => ({ 'status.replicas': int(obj(o.status).replicas) }),
  },
  jobs: {
    supported: [...META, 'status.successful'],
    extract: (o) => ({ 'status.successful': int(obj(o.status).succeeded) }),
    reject: (label) => `field label ${JSON.stringify(label)} not supported for batchv1.Job`,
  },
  certificatesigningrequests: {
    supported: ['metadata.name', 'spec.signerName'],
    extract: (o) => ({ 'spec.signerName': str(obj(o.spec).signerName) }),
  },
};

// Kinds without a conversion func of their own get upstream's
// runtime.DefaultMetaV1FieldSelectorConversion, worded differently.
const defaultFields: ResourceFields = {
  supported: META,
  reject: (label) => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
};

/** 'pods', or 'replicasets.apps' (the group is ignored). */
function fieldsFor(resource: string): ResourceFields {
  const plural = resource.split('.')[0]!;
  return Object.hasOwn(resourceFields, plural) ? resourceFields[plural]! : defaultFields;
}

/**
 * The field labels a resource (plural name, e.g. 'pods', optionally with its group:
 * 'replicasets.apps') supports in field selectors. Every resource supports
 * metadata.name; namespaced ones metadata.namespace too.
 */
export function supportedFieldsOf(resource: string): readonly string[] {
  return fieldsFor(resource).supported;
}

/**
 * The field label a selector term names, as the server uses it (upstream
 * ConvertFieldLabel): the label itself, or its replacement (pods: spec.host becomes
 * spec.nodeName). Throws a 400 for a label the resource does not support, worded as
 * upstream words it for that kind: `field label not supported: <label>` for the core
 * kinds with their own conversion (pods, nodes, events, secrets, services ...),
 * `"<label>" is not a known field selector: only "metadata.name", "metadata.namespace"`
 * for kinds with only the default one (deployments, configmaps ...), and
 * `field label "<label>" not supported for batchv1.Job` for jobs.
 */
export function convertFieldLabel(resource: string, label: string): string {
  const rf = fieldsFor(resource);
  if (rf.supported.includes(label)) return label;
  const alias = rf.aliases !== undefined && Object.hasOwn(rf.aliases, label) ? rf.aliases[label] : undefined;
  if (alias !== undefined) return alias;
  throw badRequest(rf.reject !== undefined ? rf.reject(label) : `field label not supported: ${label}`);
}

/**
 * The selectable fields of an object of a resource, each rendered as upstream renders
 * it for matching: strings as they are (missing as ''), booleans as 'true'/'false'
 * (missing as 'false'), integers in decimal (missing as '0'). Always has metadata.name
 * and metadata.namespace ('' when absent).
 */
export function fieldsOf(resource: string, object: unknown): Record<string, string> {
  const o = obj(object);
  const meta = obj(o.metadata);
  const out: Record<string, string> = {
    'metadata.name': str(meta.name),
    'metadata.namespace': str(meta.namespace),
  };
  const extract = fieldsFor(resource).extract;
  if (extract !== undefined) Object.assign(out, extract(o));
  return out;
}

/**
 * Parses a field selector for a resource, as kube-apiserver does for a list or watch:
 * parse, then check (and convert) every field label. Throws a 400 BadRequest ApiError on
 * a syntax error or an unsupported field (see convertFieldLabel for the wording).
 */
export function parseFieldSelectorFor(resource: string, text: string): FieldMatcher {
  return parseFieldSelector(text).transform((field, value) => [convertFieldLabel(resource, field), value]);
}

/** Whether an object of a resource matches a field selector. */
export function objectMatchesFields(resource: string, object: unknown, selector: FieldMatcher): boolean {
  return selector.isEmpty() || selector.matches(fieldsOf(resource, object));
}
