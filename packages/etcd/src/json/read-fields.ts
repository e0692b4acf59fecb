// Reading etcd's gateway JSON: fields may be snake_case or lowerCamelCase, int64s strings or
// numbers, bytes base64, enums names or numbers; unknown fields are ignored. A value of the wrong
// type is an InvalidArgument error, as the gateway's unmarshaler reports it.
import { EtcdError } from '../mvcc/types.js';

export type Json = Record<string, unknown>;

const camelNames = new Map<string, string>();

/** snake_case -> lowerCamelCase, remembered (it runs for every absent field of every request). */
function camel(snake: string): string {
  let c = camelNames.get(snake);
  if (c === undefined) {
    c = snake.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    camelNames.set(snake, c);
  }
  return c;
}

/** The value of a field under its snake_case or lowerCamelCase name. */
export function field(obj: Json, snake: string): unknown {
  const v = obj[snake];
  if (v !== undefined) return v;
  return obj[camel(snake)];
}

function bad(name: string, v: unknown): EtcdError {
  return new EtcdError(3, `invalid value for ${name}: ${JSON.stringify(v)?.slice(0, 64)}`);
}

export function bytes(obj: Json, name: string): Buffer | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) throw bad(name, v);
  return Buffer.from(v, 'base64');
}

export function int(obj: Json, name: string): number | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw bad(name, v);
  return n;
}

export function int64(obj: Json, name: string): bigint | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if ((typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v))) return BigInt(v);
  throw bad(name, v);
}

export function bool(obj: Json, name: string): boolean | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(name, v);
  return v;
}

/** An enum given by name or by number (names are listed in proto order, so index = number). */
export function enumOf<T extends string>(obj: Json, name: string, values: readonly T[]): T | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < values.length) return values[v];
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw bad(name, v);
}

export function object(obj: Json, name: string): Json | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(name, v);
  return v as Json;
}

export function array(obj: Json, name: string): Json[] {
  const v = field(obj, name);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object')) throw bad(name, v);
  return v as Json[];
}
