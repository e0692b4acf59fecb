// JSON Patch (RFC 6902): add, remove, replace, move, copy and test, addressed by JSON Pointer
// (RFC 6901). The patch applies to a copy; any failing operation rejects the whole patch.

import { ApiError, badRequest } from '@kubets/api';
import { isDeepStrictEqual } from 'node:util';
import { isObject } from './merge-patch.js';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function fail(i: number, why: string): never {
  throw badRequest(`the JSON patch could not be applied: operation ${i}: ${why}`);
}

function parsePointer(pointer: string, i: number): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) fail(i, `path ${JSON.stringify(pointer)} must start with "/"`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(arr: unknown[], token: string, i: number, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) fail(i, `${JSON.stringify(token)} is not an array index`);
  const n = Number(token);
  if (n > arr.length || (!forAdd && n === arr.length)) fail(i, `index ${n} is out of range`);
  return n;
}

/** The container holding the last token, and that token. */
function parentOf(doc: unknown, tokens: string[], i: number): { parent: unknown; key: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, t, i, false)];
    else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t];
    else fail(i, `path element ${JSON.stringify(t)} does not exist`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function get(doc: unknown, pointer: string, i: number): unknown {
  const tokens = parsePointer(pointer, i);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, i);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, i, false)];
  if (isObject(parent) && Object.hasOwn(parent, key)) return parent[key];
  return fail(i, `path ${JSON.stringify(pointer)} does not exist`);
}

function remove(doc: unknown, pointer: string, i: number): unknown {
  const tokens = parsePointer(pointer, i);
  if (tokens.length === 0) fail(i, 'cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens, i);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, i, false), 1)[0];
  if (isObject(parent) && Object.hasOwn(parent, key)) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  return fail(i, `path ${JSON.stringify(pointer)} does not exist`);
}

function add(doc: unknown, pointer: string, value: unknown, i: number): unknown {
  const tokens = parsePointer(pointer, i);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, i);
  if (key === '__proto__') fail(i, 'invalid key "__proto__"');
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, i, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else fail(i, `the parent of ${JSON.stringify(pointer)} is not an object or array`);
  return doc;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  patch.forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      fail(i, 'each operation must be an object with string "op" and "path"');
    }
    const op = raw as unknown as Operation;
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    if (needsValue && !Object.hasOwn(raw, 'value')) fail(i, `"${op.op}" needs a "value"`);
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') fail(i, `"${op.op}" needs a string "from"`);
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, structuredClone(op.value), i);
        break;
      case 'remove':
        remove(doc, op.path, i);
        break;
      case 'replace':
        get(doc, op.path, i);
        if (op.path === '') doc = structuredClone(op.value);
        else {
          remove(doc, op.path, i);
          doc = add(doc, op.path, structuredClone(op.value), i);
        }
        break;
      case 'move': {
        if (op.path.startsWith(`${op.from!}/`)) fail(i, 'cannot move a value into one of its children');
        const v = remove(doc, op.from!, i);
        doc = add(doc, op.path, v, i);
        break;
      }
      case 'copy':
        doc = add(doc, op.path, structuredClone(get(doc, op.from!, i)), i);
        break;
      case 'test':
        if (!isDeepStrictEqual(get(doc, op.path, i), op.value)) {
          throw new ApiError(422, 'Invalid', `the JSON patch test operation ${i} failed: ${op.path} does not hold the given value`);
        }
        break;
      default:
        fail(i, `unknown operation ${JSON.stringify(op.op)}`);
    }
  });
  return doc;
}
