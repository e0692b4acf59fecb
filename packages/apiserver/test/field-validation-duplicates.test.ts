// Duplicate fields in JSON bodies under fieldValidation, as kube-apiserver reports them
// (test/integration/apiserver/field_validation_test.go): Strict refuses the body with 400
// `strict decoding error: duplicate field "data"`, Warn (the default) writes it and sends one
// Warning header per field, Ignore says nothing. Errors come in document order, mixed with the
// unknown fields; a field both unknown and repeated counts as unknown only. In a patch the
// patch's own repeated fields come first, and a JSON patch's are named "json patch".

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';

const api = await startOneApiServer({ impl: 'etcd' });
const A = api.url;
const cms = '/api/v1/namespaces/default/configmaps';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

const twiceData = (name: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"1"},"data":{"b":"2"}}`;

/** The warning texts of a reply, from `299 - "text"` entries. */
function warningsOf(headers: Record<string, string | string[] | undefined>): string[] {
  const raw = headers.warning;
  const all = Array.isArray(raw) ? raw.join(', ') : raw ?? '';
  return [...all.matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
}

t.test('Strict: a ConfigMap with "data" twice is a 400 and is not written', async (t) => {
  const r = await call(A, 'POST', `${cms}?fieldValidation=Strict`, twiceData('strict'));
  t.equal(r.status, 400, r.text);
  t.same([r.body.kind, r.body.reason, r.body.code], ['Status', 'BadRequest', 400]);
  t.equal(r.body.message, 'strict decoding error: duplicate field "data"');
  t.equal((await call(A, 'GET', `${cms}/strict`)).status, 404);
});

t.test('Warn (and the default): written with the last value, one warning per repeated field', async (t) => {
  for (const [name, query] of [['warn', '?fieldValidation=Warn'], ['default', '']]) {
    const r = await call(A, 'POST', `${cms}${query}`, twiceData(name!));
    t.equal(r.status, 201, r.text);
    t.same(r.body.data, { b: '2' }, 'the last value wins, as encoding/json keeps it');
    t.same(warningsOf(r.headers), ['duplicate field "data"']);
  }
  const ignored = await call(A, 'POST', `${cms}?fieldValidation=Ignore`, twiceData('ignore'));
  t.equal(ignored.status, 201);
  t.same(warningsOf(ignored.headers), [], 'Ignore says nothing');
});

t.test('nested paths, document order with unknown fields, unknown-and-repeated counted once', async (t) => {
  const body = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dup","name":"dup"},"spec":{
    "unknown1":"v","unknownDupe":"a","unknownDupe":"b","paused":true,"paused":false,
    "selector":{"matchLabels":{"app":"x"}},
    "template":{"metadata":{"labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"i","unknownNested":"v","imagePullPolicy":"Always","imagePullPolicy":"Never"}]}}}}`;
  const expected = [
    'duplicate field "metadata.name"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  ];
  const strict = await call(A, 'POST', `${deployments}?fieldValidation=Strict`, body);
  t.equal(strict.status, 400, strict.text);
  t.equal(strict.body.message, `strict decoding error: ${expected.join(', ')}`);
  const warn = await call(A, 'POST', `${deployments}?fieldValidation=Warn`, body);
  t.equal(warn.status, 201, warn.text);
  t.same(warningsOf(warn.headers), expected);
  t.equal(warn.body.spec.template.spec.containers[0].imagePullPolicy, 'Never');
});

t.test('PUT is judged as POST', async (t) => {
  const r = await call(A, 'PUT', `${cms}/warn?fieldValidation=Strict`, twiceData('warn'));
  t.equal(r.status, 400);
  t.equal(r.body.message, 'strict decoding error: duplicate field "data"');
});

t.test('patches: the patch\'s repeated fields first, then the patched object\'s unknown fields', async (t) => {
  const merge = await call(A, 'PATCH', `${cms}/warn?fieldValidation=Strict`, '{"data":{"k":"1","k":"2"},"bogus":1}', { 'content-type': 'application/merge-patch+json' });
  t.equal(merge.status, 400, merge.text);
  t.equal(merge.body.message, 'strict decoding error: duplicate field "data.k", unknown field "bogus"');
  const smp = await call(A, 'PATCH', `${cms}/warn?fieldValidation=Warn`, '{"data":{"k":"1","k":"2"}}', { 'content-type': 'application/strategic-merge-patch+json' });
  t.equal(smp.status, 200, smp.text);
  t.same(warningsOf(smp.headers), ['duplicate field "data.k"']);
  t.same(smp.body.data, { b: '2', k: '2' });
  const json = await call(A, 'PATCH', `${cms}/warn?fieldValidation=Strict`, '[{"op":"add","path":"/data/x","path":"/data/y","value":"v"}]', { 'content-type': 'application/json-patch+json' });
  t.equal(json.status, 400, json.text);
  t.equal(json.body.message, 'strict decoding error: json patch duplicate field "[0].path"');
});

t.test('the same key in two different objects is no duplicate', async (t) => {
  const r = await call(A, 'POST', `${cms}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"distinct","labels":{"name":"x"}},"data":{"name":"y","data":"z"}}');
  t.equal(r.status, 201, r.text);
  t.same(warningsOf(r.headers), []);
});

t.test('a key escaped differently is the same key', async (t) => {
  const r = await call(A, 'POST', `${cms}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"escaped"},"data":{"a":"1"},"d\\u0061ta":{"b":"2"}}');
  t.equal(r.status, 400, r.text);
  t.equal(r.body.message, 'strict decoding error: duplicate field "data"');
});
