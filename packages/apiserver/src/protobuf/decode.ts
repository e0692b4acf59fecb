// A Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`) to the JSON object the
// JSON path would have produced: the "k8s\0" magic, a runtime.Unknown envelope naming the
// apiVersion and kind, and the kind's message in its raw field.
//
// The wire is walked field by field with protobufjs's Reader against our message definitions
// (schema.ts), rather than through protobufjs's generated decoders, because the JSON shape
// needs what only a field-by-field walk sees: which fields were on the wire (proto2 presence),
// wire types that do not match the field (an error, not a misread), and the Go types' JSON
// forms (Time as RFC 3339, IntOrString as a number or string, Quantity and bytes as strings,
// embedded structs flattened). Unknown fields are skipped, as protobuf does.

import protobuf from 'protobufjs';
import { messageFor, protoRoot, unknownType } from './schema.js';

export class ProtobufDecodeError extends Error {
  override name = 'ProtobufDecodeError';
}

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

const magic = [0x6b, 0x38, 0x73, 0x00];

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new ProtobufDecodeError(message);
}

const wireVarint = 0;
const wireBytes = 2;
const scalarWire: Record<string, number> = { string: wireBytes, bytes: wireBytes, bool: wireVarint, int32: wireVarint, int64: wireVarint };

/** Decodes a whole request body; every failure is a ProtobufDecodeError. */
export function decodeKubernetesProtobuf(body: Uint8Array): Json {
  try {
    if (body.length < magic.length || magic.some((b, i) => body[i] !== b)) fail('the body does not begin with the Kubernetes protobuf prefix "k8s\\x00"');
    // protobufjs's plain Reader (`new Reader`), not the BufferReader Reader.create picks for a
    // Buffer, which does not check string lengths against the end of the data: a truncated body
    // must be an error, not a shorter string.
    const data = new Uint8Array(body.buffer, body.byteOffset + magic.length, body.length - magic.length);
    const envelope = readMessage(unknownType, new protobuf.Reader(data), data.length, true);
    const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const apiVersion = typeMeta.apiVersion ?? '';
    const kind = typeMeta.kind ?? '';
    if (typeof envelope.contentEncoding === 'string' && envelope.contentEncoding !== '') fail(`content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
    if (typeof envelope.contentType === 'string' && envelope.contentType !== '' && envelope.contentType !== protobufMediaType) {
      fail(`content type ${JSON.stringify(envelope.contentType)} is not supported`);
    }
    if (kind === '') fail('the object has no kind');
    const type = messageFor(apiVersion, kind);
    if (type === undefined) fail(`no kind "${kind}" is registered for version "${apiVersion}"`);
    const raw = (envelope.raw as Uint8Array | undefined) ?? new Uint8Array(0);
    const obj = readMessage(type, new protobuf.Reader(raw), raw.length, false);
    return { ...(apiVersion !== '' ? { apiVersion } : {}), kind, ...obj };
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw e;
    // protobufjs's own errors: reads past the end ("index out of range"), bad wire types.
    const message = (e as Error).message;
    throw new ProtobufDecodeError(message.startsWith('index out of range') ? `unexpected end of data (${message})` : message);
  }
}

const keep = (field: protobuf.Field) => field.options?.['(keep)'] === true;
const inline = (field: protobuf.Field) => field.options?.['(inline)'] === true;
const isZero = (v: unknown) => v === '' || v === 0 || v === false;

/**
 * One message, from reader.pos to end. `raw` keeps every field as it came (zeros, bytes,
 * embedded structs unflattened): the envelope and the small types converted afterwards.
 */
function readMessage(type: protobuf.Type, r: protobuf.Reader, end: number, raw: boolean): Json {
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 0) fail(`${type.name}: field number 0 is not valid`);
    const field = type.fieldsById[id];
    if (field === undefined) {
      r.skipType(wire);
    } else if (field instanceof protobuf.MapField) {
      expectWire(type, field, wire, wireBytes);
      const [key, value] = readMapEntry(type, field, r, end, raw);
      if (key !== '__proto__' && value !== undefined) ((out[field.name] ??= {}) as Json)[key] = value;
    } else if (field.repeated) {
      const list = (out[field.name] ??= []) as unknown[];
      if (wire === wireBytes && scalarWire[field.type] === wireVarint) {
        // A packed run of varints, which decoders must accept for repeated scalars.
        const stop = lengthEnd(type, r, end);
        while (r.pos < stop) list.push(readScalar(type, field, r, wireVarint, raw));
      } else {
        list.push(readValue(type, field, r, wire, end, raw));
      }
    } else {
      const value = readValue(type, field, r, wire, end, raw);
      if (!raw && inline(field)) Object.assign(out, value as Json);
      else if (value === undefined || (!raw && isZero(value) && !keep(field))) delete out[field.name];
      else out[field.name] = value;
    }
    if (r.pos > end) fail(`${type.name}: a field runs past the end of its message`);
  }
  if (!raw) {
    // Empty lists and maps are absent, as in upstream's JSON (omitempty).
    for (const [k, v] of Object.entries(out)) {
      const field = type.fields[k];
      if (field !== undefined && (field.repeated || field instanceof protobuf.MapField) && (Array.isArray(v) ? v.length === 0 : Object.keys(v as Json).length === 0)) {
        delete out[k];
      }
    }
  }
  return out;
}

function expectWire(type: protobuf.Type, field: protobuf.Field | protobuf.MapField, wire: number, want: number): void {
  if (wire !== want) fail(`${type.name}.${field.name}: wire type ${wire}, expected ${want}`);
}

function lengthEnd(type: protobuf.Type, r: protobuf.Reader, end: number): number {
  const length = r.uint32();
  const stop = r.pos + length;
  if (stop > end) fail(`${type.name}: a length runs past the end of its message`);
  return stop;
}

function readValue(type: protobuf.Type, field: protobuf.Field | protobuf.MapField, r: protobuf.Reader, wire: number, end: number, raw: boolean): unknown {
  const sub = field.resolvedType;
  if (sub instanceof protobuf.Type) {
    expectWire(type, field, wire, wireBytes);
    const stop = lengthEnd(type, r, end);
    const convert = special.get(sub);
    const value = readMessage(sub, r, stop, raw || convert !== undefined);
    return raw || convert === undefined ? value : convert(value);
  }
  return readScalar(type, field, r, wire, raw);
}

function readScalar(type: protobuf.Type, field: protobuf.Field | protobuf.MapField, r: protobuf.Reader, wire: number, raw: boolean): unknown {
  const want = scalarWire[field.type];
  if (want === undefined) fail(`${type.name}.${field.name}: type ${field.type} is not supported`);
  expectWire(type, field, wire, want);
  switch (field.type) {
    case 'string':
      return r.string();
    case 'bytes': {
      const b = r.bytes();
      return raw ? b : Buffer.from(b).toString('base64');
    }
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    default:
      return longToNumber(r.int64());
  }
}

function longToNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}

function readMapEntry(type: protobuf.Type, field: protobuf.MapField, r: protobuf.Reader, end: number, raw: boolean): [string, unknown] {
  const stop = lengthEnd(type, r, end);
  let key = '';
  let value: unknown;
  while (r.pos < stop) {
    const tag = r.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 1) {
      expectWire(type, field, wire, wireBytes);
      key = r.string();
    } else if (id === 2) {
      value = readValue(type, field, r, wire, stop, raw);
    } else {
      r.skipType(wire);
    }
    if (r.pos > stop) fail(`${type.name}.${field.name}: a map entry runs past its end`);
  }
  // An entry without a value holds the zero value.
  if (value === undefined && !(field.resolvedType instanceof protobuf.Type)) value = field.type === 'bytes' || field.type === 'string' ? '' : 0;
  return [key, value];
}

// The apimachinery types whose JSON form is not an object.

function timeOf(m: Json, micro: boolean): string | undefined {
  let seconds = Number(m.seconds ?? 0);
  let nanos = Number(m.nanos ?? 0);
  // The zero time (Go's time.Time{}) is sent as an empty message and means unset.
  if (seconds === 0 && nanos === 0) return undefined;
  if (nanos < 0 || nanos >= 1e9) {
    seconds += Math.floor(nanos / 1e9);
    nanos = ((nanos % 1e9) + 1e9) % 1e9;
  }
  const d = new Date(seconds * 1000);
  const year = d.getUTCFullYear();
  if (Number.isNaN(d.getTime()) || year < 1 || year > 9999) fail(`a time of ${seconds} seconds is out of range`);
  const base = d.toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

const special = new Map<protobuf.Type, (m: Json) => unknown>([
  [protoRoot.lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.Time'), (m) => timeOf(m, false)],
  [protoRoot.lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime'), (m) => timeOf(m, true)],
  [protoRoot.lookupType('k8s.io.apimachinery.pkg.util.intstr.IntOrString'), (m) => (Number(m.type ?? 0) === 1 ? (m.strVal ?? '') : (m.intVal ?? 0))],
  // user.Info's extras: a list of strings in JSON, wrapped in a message on the wire.
  ...['authorization', 'authentication'].map((g): [protobuf.Type, (m: Json) => unknown] => [protoRoot.lookupType(`k8s.io.api.${g}.v1.ExtraValue`), (m) => m.items ?? []]),
  [protoRoot.lookupType('k8s.io.apimachinery.pkg.api.resource.Quantity'), (m) => (typeof m.string === 'string' && m.string !== '' ? m.string : undefined)],
  [
    protoRoot.lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1'),
    (m) => {
      if (!(m.Raw instanceof Uint8Array) || m.Raw.length === 0) return undefined;
      try {
        return JSON.parse(Buffer.from(m.Raw).toString('utf8'), (k, v) => (k === '__proto__' ? undefined : v));
      } catch (e) {
        return fail(`fieldsV1 is not JSON: ${(e as Error).message}`);
      }
    },
  ],
]);
