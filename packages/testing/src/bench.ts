// How a benchmark runs: start the cluster it asks for, run, print its figures as ONE JSON line,
// and stop every process it started, also when interrupted.
import { startTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster.js';

export async function runBenchmark(opts: TestClusterOptions, main: (c: TestCluster) => Promise<object>): Promise<void> {
  const cluster = await startTestCluster(opts);
  const stop = () => void cluster.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    console.log(JSON.stringify(await main(cluster)));
  } finally {
    await cluster.stop();
  }
}
