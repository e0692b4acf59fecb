// What JSON.parse does not tell about a body: how deep it nests, and which keys appear twice in
// one object (JSON.parse keeps the last silently). kube-apiserver's decoder refuses nesting past
// 10000 levels and reports duplicate fields under fieldValidation Strict and Warn; this one pass
// over the text finds both, without recursion, so no depth can overflow the stack here.

import { badRequest } from '@kubets/api';

/**
 * Upstream's limit is 10000 (encoding/json's maxNestingDepth). Ours is lower because the write
 * path (structuredClone, patches, validation) recurses and overflows Node's stack near 2000
 * levels; Kubernetes objects nest a few dozen levels at most.
 */
export const maxJsonDepth = 1000;

/** A key seen a second time in one object, by its path as upstream writes it (`spec.template.spec.containers[0].name`). */
export interface DuplicateField {
  path: string;
  /** Where in the text the second occurrence starts: strict decoding errors are listed in document order. */
  offset: number;
}

export interface JsonStructure {
  duplicates: DuplicateField[];
  /** Whether some object has a `__proto__` key, which later merges must never see. */
  hasProtoKey: boolean;
  /** Where each key path first appears; filled only when asked for. */
  firstOffsets: Map<string, number>;
}

interface Frame {
  path: string;
  keys: Set<string> | undefined;
  key: string;
  index: number;
}

const childPath = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

/** The end (exclusive) of the string literal that starts at `start` (its opening quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/**
 * Scans text that JSON.parse has accepted. Throws 400 past `maxJsonDepth`, with the wording of
 * upstream's decoder (`invalid character '{' exceeded max depth`).
 */
export function scanJson(text: string, recordOffsets = false): JsonStructure {
  const out: JsonStructure = { duplicates: [], hasProtoKey: false, firstOffsets: new Map() };
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top !== undefined) {
        const raw = text.slice(i + 1, end - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
        noteKey(out, top, key, i, recordOffsets);
        expectKey = false;
      }
      i = end - 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length >= maxJsonDepth) {
        throw badRequest(`the body of the request could not be decoded as JSON: invalid character '${text[i]}' exceeded max depth`);
      }
      const parent = stack[stack.length - 1];
      const path = parent === undefined ? '' : parent.keys !== undefined ? childPath(parent.path, parent.key) : `${parent.path}[${parent.index}]`;
      stack.push({ path, keys: c === 123 ? new Set() : undefined, key: '', index: 0 });
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1]!;
      if (top.keys !== undefined) expectKey = true;
      else top.index++;
    }
  }
  return out;
}

function noteKey(out: JsonStructure, frame: Frame, key: string, offset: number, recordOffsets: boolean): void {
  frame.key = key;
  if (key === '__proto__') out.hasProtoKey = true;
  const path = recordOffsets || frame.keys!.has(key) ? childPath(frame.path, key) : '';
  if (frame.keys!.has(key)) out.duplicates.push({ path, offset });
  else frame.keys!.add(key);
  if (recordOffsets && !out.firstOffsets.has(path)) out.firstOffsets.set(path, offset);
}

/** Drops every `__proto__` key, without recursion: one reaching Object.prototype through a later merge would poison it. */
export function dropProtoKeys(value: unknown): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, '__proto__')) delete (v as Record<string, unknown>)['__proto__'];
    for (const child of Object.values(v)) pending.push(child);
  }
}
