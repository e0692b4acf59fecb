import t from 'tap';
import { resolveResource, unknownFields, validateUpdate } from '../src/index.js';

const fields = (resource: string, next: any, old: any) => validateUpdate(resource, next, old).map((e) => `${e.field}:${e.type}`);

const pod = (extra: any = {}) => ({
  metadata: { name: 'p', namespace: 'd', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ key: 'k', operator: 'Exists' }], ...extra },
});

t.test('pods: only images, activeDeadlineSeconds and added tolerations may change', async (t) => {
  t.same(fields('pods', pod({ containers: [{ name: 'a', image: 'x:2' }] }), pod()), []);
  t.same(fields('pods', pod({ activeDeadlineSeconds: 10 }), pod()), []);
  t.same(fields('pods', pod({ tolerations: [{ key: 'k', operator: 'Exists' }, { key: 'j', operator: 'Exists' }] }), pod()), []);
  t.same(fields('pods', pod({ restartPolicy: 'Never' }), pod()), ['spec:FieldValueForbidden']);
  t.same(fields('pods', pod({ tolerations: [] }), pod()), ['spec.tolerations:FieldValueForbidden']);
});

t.test('metadata identity and per-kind immutable fields', async (t) => {
  const old = pod();
  const renamed = pod();
  renamed.metadata.uid = 'u2';
  t.same(fields('pods', renamed, old), ['metadata.uid:FieldValueInvalid']);
  const d = (labels: object) => ({ metadata: {}, spec: { selector: { matchLabels: labels } } });
  t.same(fields('deployments', d({ a: 'b' }), d({ a: 'c' })), ['spec.selector:FieldValueInvalid']);
  t.same(fields('services', { metadata: {}, spec: { clusterIP: '10.0.0.2' } }, { metadata: {}, spec: { clusterIP: '10.0.0.1' } }), ['spec.clusterIP:FieldValueInvalid']);
  t.same(fields('services', { metadata: {}, spec: { clusterIP: '10.0.0.1', type: 'NodePort' } }, { metadata: {}, spec: { clusterIP: '10.0.0.1' } }), []);
  const cm = (data: object, immutable?: boolean) => ({ metadata: {}, data, ...(immutable === undefined ? {} : { immutable }) });
  t.same(fields('configmaps', cm({ a: '2' }), cm({ a: '1' })), [], 'mutable configmaps change freely');
  t.same(fields('configmaps', cm({ a: '2' }, true), cm({ a: '1' }, true)), ['data:FieldValueForbidden']);
  t.same(fields('configmaps', cm({ a: '1' }, false), cm({ a: '1' }, true)), ['immutable:FieldValueForbidden']);
  t.same(fields('secrets', { metadata: {}, type: 'kubernetes.io/tls' }, { metadata: {} }), ['type:FieldValueInvalid']);
});

t.test('unknownFields names every field the schema lacks, through lists and maps', async (t) => {
  const schema = resolveResource('deploy')!.schema;
  t.same(unknownFields(schema, { metadata: { name: 'x', labels: { any: 'thing' } }, spec: { replicas: 1 } }), []);
  t.same(
    unknownFields(schema, {
      metadata: { nmae: 'x' },
      spec: { replicaz: 1, template: { spec: { containers: [{ name: 'a', imagePullPolicyy: 'x', resources: { limits: { cpu: '1' } } }] } } },
      extra: true,
    }),
    ['metadata.nmae', 'spec.replicaz', 'spec.template.spec.containers[0].imagePullPolicyy', 'extra'],
  );
  t.same(unknownFields(schema, { spec: { strategy: { rollingUpdate: { maxSurge: '25%' } } } }), [], 'int-or-string values');
});
