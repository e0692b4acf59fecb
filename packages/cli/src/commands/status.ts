// `kubets status [-o json]`: the cluster at a glance. Exits 0 when it runs, 1 when it does not.
import { renderStatus } from '../status/render.js';
import { gatherStatus } from '../status/report.js';

export async function status(o: { name: string; dataDir: string; output: 'text' | 'json' }): Promise<number> {
  const report = await gatherStatus(o.name, o.dataDir);
  process.stdout.write(o.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
  return report.running ? 0 : 1;
}
