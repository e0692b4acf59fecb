// A JSON body nested too deep is a 400 Status in the words of the other undecodable bodies,
// as kube-apiserver's decoder refuses nesting past its limit ("invalid character '{' exceeded
// max depth"); no engine wording ("Maximum call stack size exceeded") leaks, nothing is
// written, and a body nested up to the limit goes through every write path without a crash.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { maxJsonDepth } from '../src/http/json-structure.js';

const api = await startOneApiServer({ impl: 'etcd' });
const A = api.url;
const cms = '/api/v1/namespaces/default/configmaps';

/** `{"a":{"a":...1...}}` holding `levels` objects. */
const nestedObjects = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;
const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** A ConfigMap whose unknown field `x` holds `inner`, so the whole body nests one level more. */
const configMapWith = (name: string, inner: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"x":${inner}}`;

const revision = async () => (await call(A, 'GET', cms)).body.metadata.resourceVersion as string;

t.test('100,000 levels: 400 with the decoder\'s wording, on create, update, patch and delete', async (t) => {
  const before = await revision();
  await call(A, 'POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' } });
  const afterCreate = await revision();
  const cases: [string, string, string, Record<string, string>][] = [
    ['POST', cms, nestedObjects(100_000), {}],
    ['POST', cms, nestedArrays(100_000), {}],
    ['POST', cms, configMapWith('deep', nestedArrays(100_000)), {}],
    ['PUT', `${cms}/target`, configMapWith('target', nestedObjects(100_000)), {}],
    ['PATCH', `${cms}/target`, `{"data":${nestedObjects(100_000)}}`, { 'content-type': 'application/merge-patch+json' }],
    ['PATCH', `${cms}/target`, `{"data":${nestedObjects(100_000)}}`, { 'content-type': 'application/strategic-merge-patch+json' }],
    ['DELETE', `${cms}/target`, nestedObjects(100_000), {}],
  ];
  for (const [method, path, body, headers] of cases) {
    const r = await call(A, method, path, body, headers);
    t.equal(r.status, 400, `${method} ${path}: ${r.text.slice(0, 200)}`);
    t.same([r.body?.kind, r.body?.status, r.body?.reason, r.body?.code], ['Status', 'Failure', 'BadRequest', 400]);
    t.match(r.body?.message, /^the body of the request could not be decoded as JSON: invalid character '[{[]' exceeded max depth$/);
    t.notMatch(r.text, /call stack/);
  }
  t.not(afterCreate, before);
  t.equal(await revision(), afterCreate, 'nothing was written');
  t.equal((await call(A, 'GET', `${cms}/target`)).status, 200, 'the DELETE with a bad body deleted nothing');
});

t.test(`just past the limit (${maxJsonDepth + 1} levels) is refused; at the limit it is decoded`, async (t) => {
  const over = await call(A, 'POST', cms, configMapWith('over', nestedArrays(maxJsonDepth)));
  t.equal(over.status, 400, over.text.slice(0, 200));
  const at = await call(A, 'POST', `${cms}?fieldValidation=Ignore`, configMapWith('at-limit', nestedArrays(maxJsonDepth - 1)));
  t.equal(at.status, 201, `an unknown field nested to the limit is dropped, as upstream drops unknown fields: ${at.text.slice(0, 200)}`);
  const strict = await call(A, 'POST', `${cms}?fieldValidation=Strict`, configMapWith('strict', nestedObjects(maxJsonDepth - 1)));
  t.equal(strict.status, 400);
  t.equal(strict.body.message, 'strict decoding error: unknown field "x"');
});

t.test('every write path survives a body nested to the limit', async (t) => {
  const deep = nestedObjects(maxJsonDepth - 3);
  const writes: [string, string, string, Record<string, string>][] = [
    ['PUT', `${cms}/at-limit`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"at-limit","annotations":{"a":"b"}},"data":{"k":"v"},"x":${deep}}`, {}],
    ['PATCH', `${cms}/at-limit`, `{"data":{"k":"w"},"x":${deep}}`, { 'content-type': 'application/merge-patch+json' }],
    ['PATCH', `${cms}/at-limit`, `{"data":{"k":"v"},"x":${deep}}`, { 'content-type': 'application/strategic-merge-patch+json' }],
    ['PATCH', `${cms}/at-limit`, `[{"op":"add","path":"/x","value":${deep}}]`, { 'content-type': 'application/json-patch+json' }],
    ['PATCH', `${cms}/at-limit`, `{"data":${deep}}`, { 'content-type': 'application/merge-patch+json' }],
    ['POST', cms, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"managed","managedFields":[{"manager":"m","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":${deep}}]}}`, {}],
  ];
  for (const [method, path, body, headers] of writes) {
    const r = await call(A, method, path, body, headers);
    t.ok(r.status < 500, `${method} ${headers['content-type'] ?? ''}: ${r.status} ${r.text.slice(0, 200)}`);
    t.notMatch(r.text, /call stack/);
  }
  t.equal((await call(A, 'GET', '/healthz')).status, 200, 'the server is still up');
});

t.test('YAML bodies nested too deep: 400 before the YAML parser runs (it ran out of memory on 100,000 levels)', async (t) => {
  const before = await revision();
  const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-yaml\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
  let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-block\nx:\n';
  for (let i = 1; i <= 900; i++) block += `${' '.repeat(i)}a:\n`;
  block += `${' '.repeat(901)}a: 1\n`;
  const cases: [string, string, string, string][] = [
    ['POST', cms, flow, 'application/yaml'],
    ['PATCH', `${cms}/deep-yaml?fieldManager=t`, flow, 'application/apply-patch+yaml'],
    ['POST', cms, block, 'application/yaml'],
  ];
  for (const [method, path, body, type] of cases) {
    const r = await call(A, method, path, body, { 'content-type': type });
    t.equal(r.status, 400, `${method} ${type}: ${r.text.slice(0, 200)}`);
    t.match(r.body?.message, /exceeded max depth/);
  }
  t.equal(await revision(), before, 'nothing was written');
  t.equal((await call(A, 'GET', '/readyz')).status, 200, 'the server is still up');
  const quoted = await call(A, 'POST', cms, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: brackets-in-strings # [[[\ndata:\n  a: '${'['.repeat(5000)}'\n  b: "it's {{{"\n  c: it's [[[[\n`, { 'content-type': 'application/yaml' });
  t.equal(quoted.status, 201, `brackets inside quoted scalars and comments do not count: ${quoted.text.slice(0, 200)}`);
  let deepButFine = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-but-fine\n  annotations:\n    x: |\n';
  deepButFine += `${' '.repeat(6)}text\nx:\n`;
  for (let i = 1; i <= 100; i++) deepButFine += `${'  '.repeat(i)}a:\n`;
  deepButFine += `${'  '.repeat(101)}- [[[1]]]\n`;
  const fine = await call(A, 'POST', `${cms}?fieldValidation=Ignore`, deepButFine, { 'content-type': 'application/yaml' });
  t.equal(fine.status, 201, `100 levels by indentation, then a flow list three deep, is decoded: ${fine.text.slice(0, 200)}`);
});
