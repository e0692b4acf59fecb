import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientFromKubeconfig, KubeClient, TransportError, writeKubeconfig } from '../src/index.js';

const openssl = '/usr/bin/openssl';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCerts(dir: string) {
  const run = (...args: string[]) => execFileSync(openssl, args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=kubets-test-ca');
  for (const [name, subj, ext] of [
    ['server', '/CN=kubets-apiserver', 'subjectAltName=IP:127.0.0.1'],
    ['client', '/CN=admin/O=system:masters', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
  }
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
}

t.test('https: CA checking, client certificates, insecure-skip-tls-verify', { skip: existsSync(openssl) ? false : 'openssl is not installed' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubets-client-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const certs = makeCerts(dir);
  const seen: (string | undefined)[] = [];
  const server = createServer({ cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const cn = peer?.subject?.CN;
    seen.push(Array.isArray(cn) ? cn[0] : cn);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-kubets' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const trusted = new KubeClient({ servers: [url], tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
  t.teardown(() => trusted.close());
  const v = await trusted.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });
  t.equal(v.gitVersion, 'v1.32.0-kubets');
  t.equal(seen.at(-1), 'admin', 'the server saw the client certificate');

  const untrusted = new KubeClient({ servers: [url], tls: {} }, { maxAttempts: 1 });
  t.teardown(() => untrusted.close());
  const err = await untrusted.request({ method: 'GET', path: '/version' }).catch((e: unknown) => e);
  t.ok(err instanceof TransportError, 'an unknown CA is refused');
  t.match((err as Error).message, /self.signed|unable to verify|certificate/i);

  const insecure = new KubeClient({ servers: [url], tls: { insecureSkipTlsVerify: true } });
  t.teardown(() => insecure.close());
  t.equal((await insecure.request<{ major: string }>({ method: 'GET', path: '/version' })).major, '1');

  // The same material through a kubeconfig, inline and as files.
  const kc = join(dir, 'kubeconfig');
  writeKubeconfig(kc, { clusterName: 'tls', servers: [url], certificateAuthorityData: certs.ca, user: { clientCertificate: join(dir, 'client.crt'), clientKey: join(dir, 'client.key') } });
  const fromFile = clientFromKubeconfig({ path: kc });
  t.teardown(() => fromFile.close());
  t.equal((await fromFile.request<{ major: string }>({ method: 'GET', path: '/version' })).major, '1');
  t.equal(seen.at(-1), 'admin');
});
