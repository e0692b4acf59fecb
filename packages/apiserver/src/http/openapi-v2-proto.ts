// `/openapi/v2` as protobuf: the `openapi.v2.Document` message of gnostic's OpenAPIv2.proto, which
// kubectl 1.27 and 1.28 ask for (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf)
// and do not fall back from. Only the messages and fields this server fills are declared here;
// the field numbers are upstream's, since they are the wire format. Maps are repeated (name,
// value) pairs, so order is kept; every `x-` key is a vendor_extension whose value is YAML text.

import protobuf from 'protobufjs';
import YAML from 'yaml';
import type { JsonObject, SwaggerDocument } from './openapi-v2.js';

const proto = `
syntax = "proto3";
package openapi.v2;

message Document {
  string swagger = 1;
  Info info = 2;
  Paths paths = 8;
  Definitions definitions = 9;
  repeated NamedAny vendor_extension = 16;
}
message Info {
  string title = 1;
  string version = 2;
  string description = 3;
  repeated NamedAny vendor_extension = 7;
}
message Paths {
  repeated NamedAny vendor_extension = 1;
  repeated NamedPathItem path = 2;
}
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem {
  string _ref = 1;
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation options = 6;
  Operation head = 7;
  Operation patch = 8;
  repeated ParametersItem parameters = 9;
  repeated NamedAny vendor_extension = 10;
}
message Operation {
  repeated string tags = 1;
  string summary = 2;
  string description = 3;
  string operation_id = 5;
  repeated string produces = 6;
  repeated string consumes = 7;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated string schemes = 10;
  bool deprecated = 11;
  repeated NamedAny vendor_extension = 13;
}
message ParametersItem {
  oneof oneof { Parameter parameter = 1; }
}
message Parameter {
  oneof oneof {
    BodyParameter body_parameter = 1;
    NonBodyParameter non_body_parameter = 2;
  }
}
message BodyParameter {
  string description = 1;
  string name = 2;
  string in = 3;
  bool required = 4;
  Schema schema = 5;
  repeated NamedAny vendor_extension = 6;
}
message NonBodyParameter {
  oneof oneof {
    QueryParameterSubSchema query_parameter_sub_schema = 3;
    PathParameterSubSchema path_parameter_sub_schema = 4;
  }
}
message QueryParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  string type = 6;
  string format = 7;
  bool unique_items = 20;
  repeated NamedAny vendor_extension = 23;
}
message PathParameterSubSchema {
  bool required = 1;
  string in = 2;
  string description = 3;
  string name = 4;
  string type = 5;
  string format = 6;
  bool unique_items = 19;
  repeated NamedAny vendor_extension = 22;
}
message Responses {
  repeated NamedResponseValue response_code = 1;
  repeated NamedAny vendor_extension = 2;
}
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue {
  oneof oneof { Response response = 1; }
}
message Response {
  string description = 1;
  SchemaItem schema = 2;
  repeated NamedAny vendor_extension = 5;
}
message SchemaItem {
  oneof oneof { Schema schema = 1; }
}
message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Schema {
  string _ref = 1;
  string format = 2;
  string title = 3;
  string description = 4;
  Any default = 5;
  double multiple_of = 6;
  double maximum = 7;
  bool exclusive_maximum = 8;
  double minimum = 9;
  bool exclusive_minimum = 10;
  int64 max_length = 11;
  int64 min_length = 12;
  string pattern = 13;
  int64 max_items = 14;
  int64 min_items = 15;
  bool unique_items = 16;
  int64 max_properties = 17;
  int64 min_properties = 18;
  repeated string required = 19;
  repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  string discriminator = 26;
  bool read_only = 27;
  Any example = 30;
  repeated NamedAny vendor_extension = 31;
}
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message AdditionalPropertiesItem {
  oneof oneof {
    Schema schema = 1;
    bool boolean = 2;
  }
}
message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
`;

// keepCase: the fields keep their .proto names (`_ref`, `vendor_extension`), as below.
export const openApiV2Root = protobuf.parse(proto, { keepCase: true }).root;
export const DocumentMessage = openApiV2Root.lookupType('openapi.v2.Document');

const anyMessage = (value: unknown) => ({ yaml: YAML.stringify(value) });
const extension = (name: string, value: unknown) => ({ name, value: anyMessage(value) });
const extensions = (o: JsonObject) => Object.entries(o).filter(([k]) => k.startsWith('x-')).map(([k, v]) => extension(k, v));

/** JSON Schema keyword -> Schema field, for the scalar ones that map one to one. */
const scalarFields: Record<string, string> = {
  format: 'format', title: 'title', description: 'description', multipleOf: 'multiple_of', maximum: 'maximum',
  exclusiveMaximum: 'exclusive_maximum', minimum: 'minimum', exclusiveMinimum: 'exclusive_minimum', maxLength: 'max_length',
  minLength: 'min_length', pattern: 'pattern', maxItems: 'max_items', minItems: 'min_items', uniqueItems: 'unique_items',
  maxProperties: 'max_properties', minProperties: 'min_properties', discriminator: 'discriminator', readOnly: 'read_only',
};

export function schemaMessage(s: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) {
    if (k in scalarFields) out[scalarFields[k]!] = v;
    else if (k === '$ref') out._ref = v;
    else if (k === 'type') out.type = { value: Array.isArray(v) ? v : [v] };
    else if (k === 'required') out.required = v;
    else if (k === 'enum') out.enum = (v as unknown[]).map(anyMessage);
    else if (k === 'default' || k === 'example') out[k] = anyMessage(v);
    else if (k === 'items') out.items = { schema: (Array.isArray(v) ? v : [v]).map((x) => schemaMessage(x as JsonObject)) };
    else if (k === 'allOf') out.all_of = (v as JsonObject[]).map(schemaMessage);
    else if (k === 'properties') out.properties = { additional_properties: Object.entries(v as JsonObject).map(([name, p]) => ({ name, value: schemaMessage(p as JsonObject) })) };
    else if (k === 'additionalProperties') out.additional_properties = typeof v === 'boolean' ? { boolean: v } : { schema: schemaMessage(v as JsonObject) };
  }
  const ext = extensions(s);
  if (ext.length > 0) out.vendor_extension = ext;
  return out;
}

function parameterMessage(p: JsonObject): JsonObject {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { name: p.name, in: p.in, required: p.required === true, ...(p.description !== undefined ? { description: p.description } : {}), schema: schemaMessage(p.schema as JsonObject) } } };
  }
  const common = { name: p.name, in: p.in, required: p.required === true, description: p.description ?? '', type: p.type, unique_items: p.uniqueItems === true };
  const kind = p.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [kind]: common } } };
}

function operationMessage(o: JsonObject): JsonObject {
  const responses = Object.entries((o.responses ?? {}) as Record<string, JsonObject>).map(([code, r]) => ({
    name: code,
    value: { response: { description: r.description, ...(r.schema !== undefined ? { schema: { schema: schemaMessage(r.schema as JsonObject) } } : {}) } },
  }));
  const out: JsonObject = {
    tags: o.tags ?? [],
    description: o.description ?? '',
    operation_id: o.operationId ?? '',
    produces: o.produces ?? [],
    consumes: o.consumes ?? [],
    parameters: ((o.parameters ?? []) as JsonObject[]).map(parameterMessage),
    responses: { response_code: responses },
    schemes: o.schemes ?? [],
    vendor_extension: extensions(o),
  };
  return out;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** The plain object, field for field, that encodes to the Document message. */
export function documentMessage(doc: SwaggerDocument): JsonObject {
  return {
    swagger: doc.swagger,
    info: { title: doc.info.title, version: doc.info.version },
    paths: {
      path: Object.entries(doc.paths).map(([name, item]) => {
        const value: JsonObject = {};
        for (const m of methods) if (item[m] !== undefined) value[m] = operationMessage(item[m] as JsonObject);
        value.parameters = ((item.parameters ?? []) as JsonObject[]).map(parameterMessage);
        return { name, value };
      }),
    },
    definitions: { additional_properties: Object.entries(doc.definitions).map(([name, s]) => ({ name, value: schemaMessage(s) })) },
  };
}

export function encodeSwaggerDocument(doc: SwaggerDocument): Buffer {
  // protobufjs encodes plain objects as they are; the unit test runs DocumentMessage.verify.
  const bytes = DocumentMessage.encode(documentMessage(doc)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Back to a plain object with the .proto field names (for tests). */
export function decodeSwaggerDocument(bytes: Uint8Array): JsonObject {
  return DocumentMessage.toObject(DocumentMessage.decode(bytes), { longs: Number, arrays: true }) as JsonObject;
}
