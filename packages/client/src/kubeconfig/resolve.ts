// From a (merged) kubeconfig to what a client needs: pick the context (current-context unless
// overridden), then its cluster and user, and turn them into server URLs, TLS material and
// credentials. Inline data (`*-data`, base64) wins over a file, as in kubectl.

import { readFileSync } from 'node:fs';
import type { AuthConfig, ClientConfig, TlsConfig } from '../rest/config.js';
import { serversExtensionName, type Kubeconfig, type KubeconfigCluster, type KubeconfigUser } from './types.js';

export interface ResolveOptions {
  /** Use this context instead of current-context (kubectl's --context). */
  context?: string;
  /** Override the context's cluster or user (--cluster, --user). */
  cluster?: string;
  user?: string;
  /** Override the context's namespace (--namespace). */
  namespace?: string;
}

export interface ResolvedKubeconfig extends ClientConfig {
  namespace: string;
  contextName: string;
  clusterName: string;
  userName: string | undefined;
}

/**
 * The API server URLs of a cluster entry: `server` first, then those listed in the
 * `kubets.io/servers` extension (`extension: {servers: [...]}`), without repeats. kubectl
 * ignores the extension and uses `server`; kubets components fail over across all of them.
 */
export function clusterServers(cluster: KubeconfigCluster): string[] {
  const out: string[] = [];
  const add = (s: unknown) => {
    if (typeof s !== 'string' || s === '') return;
    const url = s.replace(/\/+$/, '');
    if (!out.includes(url)) out.push(url);
  };
  add(cluster.server);
  for (const ext of cluster.extensions ?? []) {
    if (ext.name !== serversExtensionName) continue;
    const servers = (ext.extension as { servers?: unknown } | null)?.servers;
    if (Array.isArray(servers)) servers.forEach(add);
  }
  return out;
}

function pemFrom(data: string | undefined, file: string | undefined, what: string): string | undefined {
  if (data !== undefined && data !== '') return Buffer.from(data, 'base64').toString('utf8');
  if (file !== undefined && file !== '') {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`kubeconfig: cannot read ${what} ${file}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

function tlsOf(cluster: KubeconfigCluster, user: KubeconfigUser | undefined): TlsConfig | undefined {
  const tls: TlsConfig = {};
  const ca = pemFrom(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority');
  if (ca !== undefined) tls.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) tls.insecureSkipTlsVerify = true;
  if (cluster['tls-server-name'] !== undefined && cluster['tls-server-name'] !== '') tls.serverName = cluster['tls-server-name'];
  if (user !== undefined) {
    const cert = pemFrom(user['client-certificate-data'], user['client-certificate'], 'client-certificate');
    const key = pemFrom(user['client-key-data'], user['client-key'], 'client-key');
    if (cert !== undefined) tls.cert = cert;
    if (key !== undefined) tls.key = key;
  }
  return Object.keys(tls).length === 0 ? undefined : tls;
}

function authOf(user: KubeconfigUser | undefined, userName: string | undefined): AuthConfig | undefined {
  if (user === undefined) return undefined;
  const auth: AuthConfig = {};
  if (user.token !== undefined && user.token !== '') auth.token = user.token;
  else if (user.tokenFile !== undefined && user.tokenFile !== '') auth.tokenFile = user.tokenFile;
  if (user.username !== undefined && user.username !== '') {
    auth.username = user.username;
    auth.password = user.password ?? '';
  }
  const hasCert = user['client-certificate'] !== undefined || user['client-certificate-data'] !== undefined;
  if (Object.keys(auth).length === 0 && !hasCert && (user.exec !== undefined || user['auth-provider'] !== undefined)) {
    throw new Error(`kubeconfig: user ${userName}: exec and auth-provider credential plugins are not supported; use a token, a tokenFile, a client certificate or basic auth`);
  }
  return Object.keys(auth).length === 0 ? undefined : auth;
}

export function resolveKubeconfig(kc: Kubeconfig, opts: ResolveOptions = {}): ResolvedKubeconfig {
  const contextName = opts.context ?? kc['current-context'] ?? '';
  const ctxEntry = contextName === '' ? undefined : kc.contexts.find((c) => c.name === contextName);
  if (contextName !== '' && ctxEntry === undefined && opts.cluster === undefined) {
    throw new Error(`kubeconfig: context ${JSON.stringify(contextName)} does not exist`);
  }
  if (ctxEntry === undefined && opts.cluster === undefined) throw new Error('kubeconfig: no current-context is set and no context or cluster was given');
  const clusterName = opts.cluster ?? ctxEntry?.context.cluster ?? '';
  const cluster = kc.clusters.find((c) => c.name === clusterName)?.cluster;
  if (cluster === undefined) throw new Error(`kubeconfig: cluster ${JSON.stringify(clusterName)} does not exist`);
  const userName = opts.user ?? ctxEntry?.context.user;
  const user = userName === undefined || userName === '' ? undefined : kc.users.find((u) => u.name === userName)?.user;
  if (userName !== undefined && userName !== '' && user === undefined) throw new Error(`kubeconfig: user ${JSON.stringify(userName)} does not exist`);
  const servers = clusterServers(cluster);
  if (servers.length === 0) throw new Error(`kubeconfig: cluster ${JSON.stringify(clusterName)} has no server`);
  const out: ResolvedKubeconfig = {
    servers,
    namespace: opts.namespace ?? (ctxEntry?.context.namespace || 'default'),
    contextName,
    clusterName,
    userName: userName === '' ? undefined : userName,
  };
  const tls = tlsOf(cluster, user);
  if (tls !== undefined) out.tls = tls;
  const auth = authOf(user, userName);
  if (auth !== undefined) out.auth = auth;
  return out;
}
