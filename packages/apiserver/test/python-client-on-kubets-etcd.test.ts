// The official Python client (Debian's python3-kubernetes, run by /usr/bin/python3) against two
// kubets-apiservers on kubets-etcd: test/fixtures/python-client.py, checked by
// test/support/script-client-suite.ts. It watches with `?watch=True` (Go's ParseBool spelling).
import { fileURLToPath } from 'node:url';
import { runScriptClientSuite } from './support/script-client-suite.js';

await runScriptClientSuite({
  name: 'the official Python client',
  interpreter: '/usr/bin/python3',
  probe: ['-c', 'import kubernetes'],
  debianPackage: 'python3-kubernetes',
  script: fileURLToPath(new URL('../../test/fixtures/python-client.py', import.meta.url)),
  watched: ['/api/v1/configmaps'],
}, (t, steps) => {
  t.strictSame(steps.get('list-watch-false')?.names, [], '?watch=False is a list');
});
