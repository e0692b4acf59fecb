// One API server process on a fresh etcd cluster for a test file, both stopped (the server
// first) when the file's tests end: what most single-topic API tests start with.
import t from 'tap';
import type { ApiServerProcess } from '@kubets/testing';
import { startEtcdCluster, type EtcdClusterOptions } from './etcd-cluster.js';
import { startApiServerProcess } from './apiserver-process.js';

export async function startOneApiServer(etcdOptions: EtcdClusterOptions = { impl: 'etcd' }): Promise<ApiServerProcess> {
  try {
    const etcd = await startEtcdCluster(etcdOptions);
    const api = await startApiServerProcess(etcd.endpoints).catch(async (e: unknown) => {
      await etcd.stop();
      throw e;
    });
    t.teardown(async () => {
      await api.stop();
      await etcd.stop();
    });
    return api;
  } catch (e) {
    // Files call this at the top level, where a throw ends the file with no TAP output at all
    // ("no tests found"): say why in the TAP stream first.
    t.fail('starting etcd and the API server failed', { reason: (e as Error).message });
    throw e;
  }
}
