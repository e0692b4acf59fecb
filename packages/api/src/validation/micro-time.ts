// metav1.MicroTime on decode (Lease acquireTime/renewTime, Event eventTime and
// series.lastObservedTime), as kube-apiserver decodes it: Go's time.Parse with the layout
// 2006-01-02T15:04:05.000000Z07:00, so exactly six fractional digits and `Z` or a ±hh:mm offset;
// the time is then kept, and written back, in UTC in that same layout. A value that does not
// parse fails the decode (400) with Go's own words, which clients and people already know:
//   parsing time "yesterday" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "yesterday" as "2006"

import type { TSchema } from '@sinclair/typebox';
import { MicroTimeMark } from '../schemas/meta.js';
import { cannotBeHandled } from './schema.js';

export const rfc3339Micro = '2006-01-02T15:04:05.000000Z07:00';

export type MicroTimeResult = { ok: true; value: string } | { ok: false; message: string };

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's time.quote: ASCII as is (with `"` and `\` escaped), every other byte as \xNN. */
function goQuote(bytes: string): string {
  let out = '"';
  for (const ch of bytes) {
    const c = ch.charCodeAt(0);
    if (c >= 0x80 || c < 0x20) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

/** Go's getnum: one or two digits (exactly two when `fixed`); undefined when there are none. */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** Go's atoi: an optional sign, then nothing but digits. */
function atoi(s: string): number | undefined {
  const m = /^([+-]?)(\d*)$/.exec(s);
  if (m === null) return undefined;
  const n = m[2] === '' ? 0 : Number(m[2]);
  return m[1] === '-' ? -n : n;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (month: number, year: number) => (month === 2 && isLeap(year) ? 29 : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

class ParseError extends Error {}

/**
 * Parses `value` as Go parses it with RFC3339Micro and returns it in UTC in that layout, or
 * Go's error text. Works on the UTF-8 bytes (one char per byte), as Go's strings are.
 */
export function parseMicroTime(value: string): MicroTimeResult {
  const whole = Buffer.from(value, 'utf8').toString('latin1');
  const cannotParse = (rest: string, element: string) =>
    new ParseError(`parsing time ${goQuote(whole)} as ${goQuote(rfc3339Micro)}: cannot parse ${goQuote(rest)} as ${goQuote(element)}`);
  const outOfRange = (what: string) => new ParseError(`parsing time ${goQuote(whole)}: ${what} out of range`);
  let rest = whole;
  const literal = (c: string) => {
    if (rest[0] !== c) throw cannotParse(rest, c);
    rest = rest.slice(1);
  };
  /** A two-digit (or, for the hour, one-digit) number that must be below `limit`. */
  const number = (element: string, fixed: boolean, limit: number, what: string) => {
    const got = getnum(rest, fixed);
    if (got === undefined) throw cannotParse(rest, element);
    rest = got[1];
    if (got[0] >= limit) throw outOfRange(what);
    return got[0];
  };
  try {
    const year = rest.length >= 4 && isDigit(rest, 0) ? atoi(rest.slice(0, 4)) : undefined;
    if (year === undefined) throw cannotParse(rest, '2006');
    rest = rest.slice(4);
    literal('-');
    const month = number('01', true, 13, 'month');
    if (month === 0) throw outOfRange('month');
    literal('-');
    const day = number('02', true, 100, 'day');
    literal('T');
    const hour = number('15', false, 24, 'hour');
    literal(':');
    const minute = number('04', true, 60, 'minute');
    literal(':');
    const second = number('05', true, 60, 'second');
    const micros = fraction();
    const offsetMinutes = zone();
    if (rest !== '') throw new ParseError(`parsing time ${goQuote(whole)}: extra text: ${goQuote(rest)}`);
    if (day < 1 || day > daysIn(month, year)) throw outOfRange('day');
    const t = new Date(0);
    t.setUTCFullYear(year, month - 1, day);
    t.setUTCHours(hour, minute - offsetMinutes, second, 0);
    const y = t.getUTCFullYear();
    const yyyy = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
    const text = `${yyyy}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}T${pad(t.getUTCHours(), 2)}:${pad(t.getUTCMinutes(), 2)}:${pad(t.getUTCSeconds(), 2)}.${pad(micros, 6)}Z`;
    return { ok: true, value: text };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, message: e.message };
    throw e;
  }

  /** `.000000`: a period (or comma) and exactly six digits, in microseconds. */
  function fraction(): number {
    const hold = rest;
    if (rest.length < 7 || (rest[0] !== '.' && rest[0] !== ',')) throw cannotParse(hold, '.000000');
    const n = atoi(rest.slice(1, 7));
    rest = rest.slice(7);
    if (n === undefined) throw cannotParse(hold, '.000000');
    if (n < 0) throw outOfRange('fractional second');
    return n;
  }

  /** `Z07:00`: Z, or a sign and hh:mm (up to 24:60, as Go allows); minutes east of UTC. */
  function zone(): number {
    if (rest[0] === 'Z') {
      rest = rest.slice(1);
      return 0;
    }
    const hold = rest;
    if (rest.length < 6 || rest[3] !== ':') throw cannotParse(hold, 'Z07:00');
    const [sign, hh, mm] = [rest[0], getnum(rest.slice(1, 3), true), getnum(rest.slice(4, 6), true)];
    rest = rest.slice(6);
    if (hh !== undefined && hh[0] > 24) throw outOfRange('time zone offset hour');
    if (mm !== undefined && mm[0] > 60) throw outOfRange('time zone offset minute');
    if (hh === undefined || mm === undefined || (sign !== '+' && sign !== '-')) throw cannotParse(hold, 'Z07:00');
    const minutes = hh[0] * 60 + mm[0];
    return sign === '-' ? -minutes : minutes;
  }
}

const isMicroTime = (schema: TSchema) => (schema as unknown as Record<symbol, unknown>)[MicroTimeMark] === true;

/** Whether any MicroTime sits under `schema`, so that a kind without one is not walked. */
const holdsMicroTime = new WeakMap<TSchema, boolean>();
function hasMicroTime(schema: TSchema): boolean {
  let known = holdsMicroTime.get(schema);
  if (known === undefined) {
    const children = [
      ...Object.values((schema.properties ?? {}) as Record<string, TSchema>),
      ...((schema.anyOf ?? []) as TSchema[]),
      ...(schema.items !== undefined ? [schema.items as TSchema] : []),
    ];
    known = isMicroTime(schema) || children.some(hasMicroTime);
    holdsMicroTime.set(schema, known);
  }
  return known;
}

/**
 * Rewrites, in place, every MicroTime string under `holder[key]` to its UTC form; returns the
 * first one that does not parse, as Go words it. Values of the wrong JSON type are left to the
 * schema check.
 */
function normalize(schema: TSchema, holder: Record<string | number, unknown>, key: string | number): string | undefined {
  if (!hasMicroTime(schema)) return undefined;
  const value = holder[key];
  if (isMicroTime(schema)) {
    if (typeof value !== 'string') return undefined;
    const parsed = parseMicroTime(value);
    if (!parsed.ok) return parsed.message;
    holder[key] = parsed.value;
    return undefined;
  }
  for (const member of (schema.anyOf ?? []) as TSchema[]) {
    const problem = normalize(member, holder, key);
    if (problem !== undefined) return problem;
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    for (let i = 0; i < value.length; i++) {
      const problem = normalize(schema.items as TSchema, value as unknown as Record<number, unknown>, i);
      if (problem !== undefined) return problem;
    }
  } else if (value !== null && typeof value === 'object' && schema.properties !== undefined) {
    for (const [name, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
      if (!(name in value)) continue;
      const problem = normalize(child, value as Record<string, unknown>, name);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/**
 * Stores every MicroTime of `obj` (an object of `kind`) in UTC with six fractional digits;
 * throws 400 BadRequest, worded as kube-apiserver's decoding errors, on one that does not parse.
 */
export function normalizeMicroTimes(schema: TSchema, kind: string, version: string, obj: Record<string, unknown>): void {
  const problem = normalize(schema, { obj }, 'obj');
  if (problem !== undefined) throw cannotBeHandled(kind, version, problem);
}
