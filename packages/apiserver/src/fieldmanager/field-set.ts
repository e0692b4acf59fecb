// Sets of field paths, as server-side apply tracks ownership with them. A set is a tree: each
// node has the path elements that are members at that level and the child sets below them.
// Path elements are kept in their fieldsV1 spelling, which is also their identity:
//   f:<name>          a field of a map or struct
//   k:<json object>   an item of an associative list, by its key fields (sorted by name)
//   v:<json value>    an item of a set-list of scalars
//   i:<index>         an item of a list by position
// An element can be a member and have children at once (a list item that is owned itself and
// whose fields are owned); fieldsV1 marks that with a "." key.

export interface FieldSet {
  members: Set<string>;
  children: Map<string, FieldSet>;
}

export function emptySet(): FieldSet {
  return { members: new Set(), children: new Map() };
}

export function isEmpty(s: FieldSet): boolean {
  return s.members.size === 0 && s.children.size === 0;
}

/** The child set under `el`, created when missing. */
export function childOf(s: FieldSet, el: string): FieldSet {
  let c = s.children.get(el);
  if (c === undefined) {
    c = emptySet();
    s.children.set(el, c);
  }
  return c;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(b)) return a;
  if (isEmpty(a)) return b;
  const out: FieldSet = { members: new Set(a.members), children: new Map(a.children) };
  for (const m of b.members) out.members.add(m);
  for (const [el, cb] of b.children) {
    const ca = a.children.get(el);
    out.children.set(el, ca === undefined ? cb : union(ca, cb));
  }
  return out;
}

/** The paths of `a` that are not in `b`; only exact members are taken away, as upstream's Difference. */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  if (isEmpty(a) || isEmpty(b)) return a;
  const out = emptySet();
  for (const m of a.members) if (!b.members.has(m)) out.members.add(m);
  for (const [el, ca] of a.children) {
    const cb = b.children.get(el);
    const c = cb === undefined ? ca : difference(ca, cb);
    if (!isEmpty(c)) out.children.set(el, c);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out = emptySet();
  if (isEmpty(a) || isEmpty(b)) return out;
  const [small, large] = a.members.size <= b.members.size ? [a.members, b.members] : [b.members, a.members];
  for (const m of small) if (large.has(m)) out.members.add(m);
  for (const [el, ca] of a.children) {
    const cb = b.children.get(el);
    if (cb === undefined) continue;
    const c = intersection(ca, cb);
    if (!isEmpty(c)) out.children.set(el, c);
  }
  return out;
}

export function equalSets(a: FieldSet, b: FieldSet): boolean {
  if (a.members.size !== b.members.size || a.children.size !== b.children.size) return false;
  for (const m of a.members) if (!b.members.has(m)) return false;
  for (const [el, ca] of a.children) {
    const cb = b.children.get(el);
    if (cb === undefined || !equalSets(ca, cb)) return false;
  }
  return true;
}

// Elements sort by their spelling: fields, then list items (upstream puts indexes last; the
// order carries no meaning, it only has to be fixed so that equal sets encode to equal bytes).
function elementsOf(s: FieldSet): string[] {
  if (s.children.size === 0) return [...s.members].sort();
  const all = new Set(s.members);
  for (const el of s.children.keys()) all.add(el);
  return [...all].sort();
}

export type FieldsV1 = { [element: string]: FieldsV1 };

/** The fieldsV1 JSON of a set, in a fixed order, so equal sets serialise to equal bytes. */
export function toFieldsV1(s: FieldSet, self = false): FieldsV1 {
  const out: FieldsV1 = self ? { '.': {} } : {};
  for (const el of elementsOf(s)) {
    const c = s.children.get(el);
    if (c === undefined || isEmpty(c)) {
      out[el] = {};
      continue;
    }
    out[el] = toFieldsV1(c, s.members.has(el));
  }
  return out;
}

// Elements already found well-formed: parsing every k: element's JSON on every write costs.
const knownElements = new Set<string>();

function isElement(k: string): boolean {
  if (k.length < 2 || k[1] !== ':') return false;
  if (k[0] === 'f' || knownElements.has(k)) return true;
  if (!parsesAsElement(k)) return false;
  if (knownElements.size > 10_000) knownElements.clear();
  knownElements.add(k);
  return true;
}

function parsesAsElement(k: string): boolean {
  switch (k[0]) {
    case 'f':
      return true;
    case 'k': {
      try {
        const v = JSON.parse(k.slice(2)) as unknown;
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    }
    case 'v':
      try {
        JSON.parse(k.slice(2));
        return true;
      } catch {
        return false;
      }
    case 'i':
      return /^(0|[1-9]\d*)$/.test(k.slice(2));
    default:
      return false;
  }
}

/** Parses fieldsV1 JSON; undefined when it is not a well-formed field set. */
export function fromFieldsV1(v: unknown, depth = 0): FieldSet | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || depth > 200) return undefined;
  const out = emptySet();
  for (const [k, x] of Object.entries(v)) {
    if (k === '.') continue;
    if (!isElement(k)) return undefined;
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
    const keys = Object.keys(x);
    if (keys.length === 0 || (keys.length === 1 && keys[0] === '.')) {
      out.members.add(k);
      continue;
    }
    const c = fromFieldsV1(x, depth + 1);
    if (c === undefined) return undefined;
    if (Object.hasOwn(x, '.')) out.members.add(k);
    out.children.set(k, c);
  }
  return out;
}

/** One path element as upstream prints it in paths: `.name`, `[name="app"]`, `[="x"]`, `[0]`. */
function printElement(el: string): string {
  const body = el.slice(2);
  switch (el[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

/** Every member of the set as a printed path (`.spec.containers[name="app"].image`), in set order. */
export function printPaths(s: FieldSet, prefix = ''): string[] {
  const out: string[] = [];
  for (const el of elementsOf(s)) {
    const p = prefix + printElement(el);
    if (s.members.has(el)) out.push(p);
    const c = s.children.get(el);
    if (c !== undefined) out.push(...printPaths(c, p));
  }
  return out;
}
