// The per-kind strategies: the index gives each kind its own, and the new kinds' hooks and
// printers behave as upstream's job, serviceaccount and endpointslice registries and printers.
import t from 'tap';
import { allResources, resolveResource } from '@kubets/api';
import { strategyFor } from '../src/registry/strategies.js';
import { defaultStrategy } from '../src/registry/default-strategy.js';
import { prepareForCreate, prepareForUpdate } from '../src/registry/strategy.js';
import { jobCompletions, jobDuration, jobStatus } from '../src/registry/batch/jobs/printer.js';
import { tableRows } from '../src/http/table.js';

const info = (name: string) => resolveResource(name)!;

t.test('every stored kind with behaviour or columns of its own has its own strategy; the reviews get the default', async (t) => {
  for (const r of ['pods', 'services', 'namespaces', 'secrets', 'nodes', 'endpoints', 'configmaps', 'events', 'deployments', 'replicasets', 'leases', 'jobs', 'serviceaccounts', 'endpointslices']) {
    t.not(strategyFor(info(r)), defaultStrategy, r);
  }
  t.equal(strategyFor(info('selfsubjectaccessreviews')), defaultStrategy);
  t.ok(allResources().every((r) => strategyFor(r).columns.length > 0), 'every kind prints some columns');
});

t.test('a Job gets a selector on its uid and the four labels on its template, status reset and generation 1', async (t) => {
  const job: any = { metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { app: 'pi' } } } }, status: { succeeded: 3 } };
  prepareForCreate(info('jobs'), job, 'default');
  const uid = job.metadata.uid;
  t.same(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  t.same(job.spec.template.metadata.labels, { app: 'pi', 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'batch.kubernetes.io/controller-uid': uid });
  t.same(job.status, {});
  t.equal(job.metadata.generation, 1);
});

t.test('a Job with manualSelector keeps the selector and labels it came with', async (t) => {
  const job: any = { metadata: { name: 'pi' }, spec: { manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } } } } };
  prepareForCreate(info('jobs'), job, 'default');
  t.same(job.spec.selector, { matchLabels: { app: 'pi' } });
  t.same(job.spec.template.metadata.labels, { app: 'pi' });
});

t.test('a label the client set itself is not overwritten (validation judges it)', async (t) => {
  const job: any = { metadata: { name: 'pi' }, spec: { template: { metadata: { labels: { 'job-name': 'other' } } } } };
  prepareForCreate(info('jobs'), job, 'default');
  t.equal(job.spec.template.metadata.labels['job-name'], 'other');
});

t.test('a Job update keeps its status and moves generation only when the spec changes', async (t) => {
  const old: any = { metadata: { name: 'pi', generation: 1, uid: 'u' }, spec: { parallelism: 1 }, status: { active: 1 } };
  const same: any = { metadata: { name: 'pi' }, spec: { parallelism: 1 }, status: { active: 9 } };
  prepareForUpdate(info('jobs'), same, old);
  t.same(same.status, { active: 1 });
  t.equal(same.metadata.generation, 1);
  const scaled: any = { metadata: { name: 'pi' }, spec: { parallelism: 2 } };
  prepareForUpdate(info('jobs'), scaled, old);
  t.equal(scaled.metadata.generation, 2);
});

t.test('job STATUS: Complete and Failed first, then Terminating, Suspended, otherwise Running', async (t) => {
  const cond = (type: string, status = 'True') => ({ status: { conditions: [{ type, status }] } });
  t.equal(jobStatus(cond('Complete')), 'Complete');
  t.equal(jobStatus(cond('Failed')), 'Failed');
  t.equal(jobStatus({ ...cond('Suspended'), metadata: { deletionTimestamp: 'x' } }), 'Terminating');
  t.equal(jobStatus(cond('Suspended')), 'Suspended');
  t.equal(jobStatus(cond('Complete', 'False')), 'Running');
  t.equal(jobStatus({}), 'Running');
});

t.test('job COMPLETIONS: succeeded of completions, or of one (of parallelism) when completions is unset', async (t) => {
  t.equal(jobCompletions({ spec: { completions: 3 }, status: { succeeded: 2 } }), '2/3');
  t.equal(jobCompletions({ spec: { parallelism: 1 } }), '0/1');
  t.equal(jobCompletions({ spec: { parallelism: 4 }, status: { succeeded: 1 } }), '1/1 of 4');
});

t.test('job DURATION: empty before start, to now while running, to completion after', async (t) => {
  const start = '2024-01-01T00:00:00Z';
  t.equal(jobDuration({}, Date.parse(start)), '');
  t.equal(jobDuration({ status: { startTime: start } }, Date.parse(start) + 42_000), '42s');
  t.equal(jobDuration({ status: { startTime: start, completionTime: '2024-01-01T00:03:00Z' } }, Date.parse(start) + 3_600_000), '3m');
});

t.test('endpointslice PORTS and ENDPOINTS list three and count the rest, <unset> when empty', async (t) => {
  const slice = {
    metadata: { name: 's', creationTimestamp: new Date().toISOString() },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4', '10.0.0.5'] }],
    ports: [{ port: 80 }, { name: 'named' }, {}, { port: 443 }],
  };
  const [row] = tableRows(info('endpointslices'), [slice], 'None');
  t.same(row!.cells.slice(0, 4), ['s', 'IPv4', '80,named,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...']);
  const [empty] = tableRows(info('endpointslices'), [{ metadata: { name: 'e' }, addressType: 'FQDN' }], 'None');
  t.same(empty!.cells.slice(0, 4), ['e', 'FQDN', '<unset>', '<unset>']);
});

t.test('serviceaccount SECRETS counts its secrets', async (t) => {
  const [row] = tableRows(info('serviceaccounts'), [{ metadata: { name: 'sa' }, secrets: [{ name: 'a' }, { name: 'b' }] }], 'None');
  t.same(row!.cells.slice(0, 2), ['sa', 2]);
});

t.test('deletion behaviour is the kind\'s: pods and namespaces answer with the object, namespaces are held by their spec.finalizers', async (t) => {
  t.equal(strategyFor(info('pods')).returnsDeletedObject, true);
  t.equal(strategyFor(info('jobs')).returnsDeletedObject, false);
  t.equal(strategyFor(info('namespaces')).deletionHeldBy?.({ spec: { finalizers: ['kubernetes'] } }), 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
  t.equal(strategyFor(info('namespaces')).deletionHeldBy?.({ spec: {} }), undefined, 'finalized: nothing but metadata.finalizers holds it');
  t.equal(strategyFor(info('namespaces')).refuseDelete?.('default'), 'this namespace may not be deleted');
  t.equal(strategyFor(info('namespaces')).refuseDelete?.('team-a'), undefined);
  t.equal(strategyFor(info('pods')).gracePeriodSeconds?.({ spec: { nodeName: 'n1' } }, undefined), 30);
  t.equal(strategyFor(info('pods')).gracePeriodSeconds?.({ spec: {} }, 10), 0, 'an unscheduled pod goes at once');
});

t.test('an EndpointSlice starts at generation 1, which moves when endpoints, ports or addressType change, not metadata', async (t) => {
  const slice = (over: Record<string, unknown> = {}): any => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', labels: { a: '1' } },
    addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...over,
  });
  const created = slice({ metadata: { name: 's', generation: 7 } });
  prepareForCreate(info('endpointslices'), created, 'default');
  t.equal(created.metadata.generation, 1);
  const old = slice({ metadata: { name: 's', generation: 1, uid: 'u' } });
  const relabelled = slice({ metadata: { name: 's', labels: { a: '2' } } });
  prepareForUpdate(info('endpointslices'), relabelled, old);
  t.equal(relabelled.metadata.generation, 1, 'metadata only');
  for (const [what, change] of [['endpoints', { endpoints: [{ addresses: ['10.0.0.2'] }] }], ['ports', { ports: [{ name: 'http', port: 81, protocol: 'TCP' }] }], ['addressType', { addressType: 'IPv6', endpoints: [] }]] as const) {
    const next = slice(change);
    prepareForUpdate(info('endpointslices'), next, old);
    t.equal(next.metadata.generation, 2, what);
  }
});

t.test('a namespace holds the kubernetes finalizer from its create, and updates keep the stored spec.finalizers', async (t) => {
  const ns: any = { metadata: { name: 'team' }, spec: { finalizers: ['example.com/x'] } };
  prepareForCreate(info('namespaces'), ns, undefined);
  t.same(ns.spec.finalizers, ['example.com/x', 'kubernetes']);
  const next: any = { metadata: { name: 'team' }, spec: { finalizers: [] } };
  prepareForUpdate(info('namespaces'), next, ns);
  t.same(next.spec.finalizers, ['example.com/x', 'kubernetes']);
});
