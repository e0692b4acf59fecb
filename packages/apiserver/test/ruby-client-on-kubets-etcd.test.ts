// Ruby's kubeclient (Debian's ruby-kubeclient, run by /usr/bin/ruby) against two kubets-apiservers
// on kubets-etcd: test/fixtures/ruby-client.rb, checked by test/support/script-client-suite.ts.
// It watches on the deprecated /watch/ paths, of the core group and of a named group.
import { fileURLToPath } from 'node:url';
import { collectionEvents, runScriptClientSuite } from './support/script-client-suite.js';

await runScriptClientSuite({
  name: "Ruby's kubeclient",
  interpreter: '/usr/bin/ruby',
  probe: ['-e', 'require "kubeclient"'],
  debianPackage: 'ruby-kubeclient',
  script: fileURLToPath(new URL('../../test/fixtures/ruby-client.rb', import.meta.url)),
  watched: ['/api/v1/configmaps', '/apis/coordination.k8s.io/v1/leases'],
}, (t, steps) => {
  const all = steps.get('watch-all-namespaces');
  t.equal(all?.finished, true);
  t.strictSame(all?.events, collectionEvents, '/api/v1/watch/configmaps: every namespace (this one kept)');
  const leases = steps.get('watch-leases');
  t.equal(leases?.finished, true);
  t.strictSame(leases?.events, [
    { type: 'ADDED', name: 'lease-1', data: { holderIdentity: 'a' } },
    { type: 'MODIFIED', name: 'lease-1', data: { holderIdentity: 'b' } },
    { type: 'DELETED', name: 'lease-1', data: { holderIdentity: 'b' } },
  ], '/apis/coordination.k8s.io/v1/watch/namespaces/<ns>/leases: a named group');
});
