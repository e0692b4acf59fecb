// Request bodies: JSON, YAML or Kubernetes protobuf objects, and the four patch media types.
// Every decoding failure is a 400 Status naming what is wrong; an unknown media type is a 415.

import { badRequest, unsupportedMediaType } from '@kubets/api';
import YAML from 'yaml';
import { decodeKubernetesProtobuf, protobufMediaType } from '../protobuf/decode.js';
import { dropProtoKeys, type DuplicateField, scanJson } from './json-structure.js';
import { maxYamlDepth, yamlDepthBound } from './yaml-depth.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const patchTypes: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` -> `application/json`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function patchTypeOf(contentType: string | undefined): PatchType {
  const t = patchTypes[mediaType(contentType)];
  if (t === undefined) throw unsupportedMediaType(contentType ?? '');
  return t;
}

/** Fields a parsed JSON body held twice, kept beside it until fieldValidation judges them. */
export interface BodyDuplicates {
  duplicates: DuplicateField[];
  /** Where each field of the body first appears, to list strict errors in document order. */
  firstOffsets: () => Map<string, number>;
}

const duplicatesOfBody = new WeakMap<object, BodyDuplicates>();

/** The duplicate fields of a body parseJson returned; undefined when it had none (or was not JSON). */
export function duplicateFieldsOf(body: unknown): BodyDuplicates | undefined {
  return body !== null && typeof body === 'object' ? duplicatesOfBody.get(body) : undefined;
}

/** JSON as kube-apiserver decodes it: nesting limited, `__proto__` dropped, duplicate keys noted. */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(e as Error).message}`);
  }
  const structure = scanJson(text);
  if (structure.hasProtoKey) dropProtoKeys(value);
  if (structure.duplicates.length > 0 && value !== null && typeof value === 'object') {
    duplicatesOfBody.set(value, { duplicates: structure.duplicates, firstOffsets: () => scanJson(text, true).firstOffsets });
  }
  return value;
}

/**
 * YAML as upstream decodes it: converted to JSON, then decoded as JSON. Its nesting is bounded
 * before the parser sees it (see yaml-depth.ts), in the words of the JSON decoder's limit.
 */
export function parseYaml(text: string): unknown {
  if (yamlDepthBound(text) > maxYamlDepth) {
    throw badRequest(`the body of the request could not be decoded as YAML: it nests deeper than ${maxYamlDepth} levels (exceeded max depth)`);
  }
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text) as YAML.Document.Parsed[];
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as YAML: ${(e as Error).message}`);
  }
  if (!Array.isArray(docs) || docs.length !== 1) {
    throw badRequest('the body of the request must hold exactly one YAML document');
  }
  const doc = docs[0]!;
  if (doc.errors.length > 0) {
    throw badRequest(`the body of the request could not be decoded as YAML: ${doc.errors[0]!.message}`);
  }
  let json: string;
  try {
    json = JSON.stringify(doc.toJS({ maxAliasCount: 100 }));
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as YAML: ${(e as Error).message}`);
  }
  // The JSON decoder's removal of __proto__ keys applies to YAML bodies too.
  return parseJson(json);
}

/** Typed clients (kubectl create configmap, client-go) send protobuf; it arrives as a Buffer (server.ts). */
export function parseProtobuf(raw: Buffer): unknown {
  try {
    return decodeKubernetesProtobuf(raw);
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as protobuf: ${(e as Error).message}`);
  }
}

/** An object body of a create, update or status write. */
export function decodeBody(contentType: string | undefined, raw: unknown): unknown {
  const type = mediaType(contentType);
  if (type === protobufMediaType) {
    const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : '');
    if (bytes.length === 0) throw badRequest('the body of the request is empty; an object was expected');
    return parseProtobuf(bytes);
  }
  const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw);
  if (text.trim() === '') throw badRequest('the body of the request is empty; an object was expected');
  if (type === 'application/json' || type === '') return parseJson(text);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYaml(text);
  throw unsupportedMediaType(contentType ?? '');
}

/** An optional body (DELETE's DeleteOptions): undefined when absent. */
export function decodeOptionalBody(contentType: string | undefined, raw: unknown): unknown {
  if (Buffer.isBuffer(raw)) return raw.length === 0 ? undefined : decodeBody(contentType, raw);
  const text = typeof raw === 'string' ? raw : '';
  if (text.trim() === '') return undefined;
  return decodeBody(contentType, text);
}
