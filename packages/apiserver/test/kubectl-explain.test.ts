// `kubectl explain` teaches, as it does against kube-apiserver: every field of every served
// schema has a description in /openapi/v3 (and /openapi/v2), a timestamp is `<string>` (its
// `T | null` schema is written as T, as upstream writes metav1.Time), and the real kubectl 1.32
// (OpenAPI v3) and 1.27 (the oldest supported) show the field types and descriptions.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';

type Schema = Record<string, unknown>;

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-explain-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const kubectl = await kubectlFor(dir, api.url);

/** The paths of the properties under `schema` without a description ($refs are checked where they point). */
function undescribed(schema: Schema, path: string): string[] {
  const out: string[] = [];
  for (const [name, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const p = `${path}.${name}`;
    if (typeof s.description !== 'string' || s.description === '') out.push(p);
    out.push(...undescribed(s, p));
  }
  if (schema.items !== undefined) out.push(...undescribed(schema.items as Schema, `${path}[]`));
  const values = schema.additionalProperties;
  if (values !== null && typeof values === 'object') out.push(...undescribed(values as Schema, `${path}{}`));
  return out;
}

t.test('every property of every schema in /openapi/v3 and /openapi/v2 has a description', async (t) => {
  const root = await call(api.url, 'GET', '/openapi/v3');
  t.equal(root.status, 200);
  const missing: string[] = [];
  for (const { serverRelativeURL } of Object.values(root.body.paths as Record<string, { serverRelativeURL: string }>)) {
    const doc = await call(api.url, 'GET', serverRelativeURL);
    for (const [name, s] of Object.entries(doc.body.components.schemas as Record<string, Schema>)) missing.push(...undescribed(s, name));
  }
  t.same(missing, [], 'v3: properties without a description');
  const v2 = await call(api.url, 'GET', '/openapi/v2');
  const missingV2 = Object.entries(v2.body.definitions as Record<string, Schema>).flatMap(([name, s]) => undescribed(s, name));
  t.same(missingV2, [], 'v2: properties without a description');
});

t.test('a nullable timestamp is a plain date-time string in both documents, with its own description', async (t) => {
  const v3 = await call(api.url, 'GET', '/openapi/v3/api/v1');
  const pod = v3.body.components.schemas['io.k8s.api.core.v1.Pod'];
  const created = pod.properties.metadata.properties.creationTimestamp;
  t.same(created.anyOf, undefined, 'no anyOf');
  t.match(created, { type: 'string', format: 'date-time', description: /created/ });
  const v2 = await call(api.url, 'GET', '/openapi/v2');
  t.match(v2.body.definitions['io.k8s.api.core.v1.Event'].properties.eventTime, { type: 'string', format: 'date-time', description: /microseconds/ });
});

const builds = [['1.32', join(kubectlDirectory(), 'kubectl')], ['1.27', join(kubectlDirectory(), 'kubectl.1.27')]].filter(([, p]) => existsSync(p!));

for (const [version, bin] of builds) {
  t.test(`kubectl ${version} explain shows types and descriptions`, async (t) => {
    const explain = async (what: string) => {
      const r = await kubectl(bin!, ['explain', what]);
      t.equal(r.code, 0, `${what}: ${r.stderr}`);
      return r.stdout;
    };
    const created = await explain('pod.metadata.creationTimestamp');
    t.match(created, /FIELD:\s+creationTimestamp <string>/, 'creationTimestamp is a string, as upstream');
    t.match(created, /When the server created the object/);
    t.notMatch(created, /<no description>/);

    const probe = await explain('pods.spec.containers.livenessProbe');
    t.match(probe, /FIELD:\s+livenessProbe <Object>/);
    t.match(probe, /restarts the container\s+when\s+it fails/, "the field's own description");
    t.match(probe, /periodSeconds\s+<integer>\s+Seconds between probes\. Default 10/);
    t.match(probe, /httpGet\s+<Object>\s+Sends an HTTP GET/);
    t.notMatch(probe, /<no description>/);

    const strategy = await explain('deployment.spec.strategy');
    t.match(strategy, /FIELD:\s+strategy <Object>/);
    t.match(strategy, /type\s+<string>\s+RollingUpdate \(the default/);
    t.match(strategy, /rollingUpdate\s+<Object>/);
    t.notMatch(strategy, /<no description>/);

    const renew = await explain('lease.spec.renewTime');
    t.match(renew, /FIELD:\s+renewTime <string>/);
    t.match(renew, /microseconds/);
  });
}
