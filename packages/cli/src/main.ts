#!/usr/bin/env node
// kubets: start, supervise, inspect and stop a local cluster. Each command's code is loaded when it
// runs: `kubets up` starts in a fraction of the time it would take to load `status`'s API client too.
import { durationFlag } from '@kubets/component-base/flags';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultClusterName, defaultDataDir } from './cluster/layout.js';
import { ClusterRecordError } from './cluster/record.js';
import { UsageError } from './commands/errors.js';
import { NodeCountError } from './cluster/nodes.js';

function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number, 1 or more');
  return n;
}

function countOrNone(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return n;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks free ports)');
  return n;
}

const urls = (v: string) => v.split(',').map((s) => s.trim()).filter((s) => s !== '');

interface ClusterFlags {
  name: string;
  dataDir?: string;
}

const withCluster = (c: Command) =>
  c
    .option('--name <name>', 'the cluster name', defaultClusterName)
    .option('--data-dir <dir>', 'where the cluster keeps its data, logs and kubeconfig (default: ~/.kubets/<name>)');

const dataDirOf = (f: ClusterFlags) => f.dataDir ?? defaultDataDir(f.name);

const program = new Command('kubets').description('Start, inspect and stop a local kubets cluster.');

withCluster(program.command('up'))
  .description('start the cluster (or bring it back with its objects) and supervise it until Ctrl-C')
  .option('--port <port>', 'the first API server port; the others follow (default 6443, or the next free ports; 0: any free ports)', port)
  .option('--apiservers <n>', 'how many API servers (default 2)', count)
  .option('--schedulers <n>', 'how many schedulers (one leads, the others stand by)', count, 1)
  .option('--controller-managers <n>', 'how many controller managers (one leads, the others stand by)', count, 1)
  .option('--nodes <n>', 'how many nodes, each a kubelet on its own address 127.0.1.<i> (default 2, then as recorded; 0: none)', countOrNone)
  .option('--no-kube-proxies', 'run no kube-proxy (by default each node runs one, on its address)')
  .addOption(new Option('--etcd <kind>', 'kubets: three kubets-etcd members; external: an etcd you run (--etcd-servers)').choices(['kubets', 'external']))
  .option('--etcd-servers <urls>', 'client URLs of the external etcd, comma-separated', urls)
  .option('--detach', 'start in the background and return once ready (kubets down stops it)', false)
  .option('--merge-kubeconfig', 'add a context for the cluster to ~/.kube/config and make it current', false)
  .addOption(durationFlag('--ready-timeout <duration>', 'how long each tier may take to become ready', 60_000))
  .action((f: ClusterFlags & { port?: number; apiservers?: number; schedulers: number; controllerManagers: number; nodes?: number; kubeProxies: boolean; etcd?: 'kubets' | 'external'; etcdServers?: string[]; detach: boolean; mergeKubeconfig: boolean; readyTimeout: number }) =>
    run(async () => (await import('./commands/up.js')).up({ ...f, dataDir: dataDirOf(f), readyTimeoutMs: f.readyTimeout })));

withCluster(program.command('down'))
  .description('stop the cluster (every process it started)')
  .option('--delete', 'also delete its data dir: objects, logs and kubeconfig', false)
  .addOption(durationFlag('--timeout <duration>', 'how long the orderly stop may take before what is left is stopped directly', 150_000))
  .action((f: ClusterFlags & { delete: boolean; timeout: number }) => run(async () => (await import('./commands/down.js')).down({ name: f.name, dataDir: dataDirOf(f), delete: f.delete, timeoutMs: f.timeout })));

withCluster(program.command('status'))
  .description('show every process, etcd and its leader, the API servers, leaders, nodes and pods')
  .addOption(new Option('-o, --output <format>', 'text or json').choices(['text', 'json']).default('text'))
  .action((f: ClusterFlags & { output: 'text' | 'json' }) => run(async () => (await import('./commands/status.js')).status({ name: f.name, dataDir: dataDirOf(f), output: f.output })));

withCluster(program.command('logs'))
  .description("print a process's log (etcd-0, apiserver-1, kubets-up ...)")
  .argument('<process>', 'the process: its name, or its kind for the first of them (apiserver = apiserver-0)')
  .option('-f, --follow', 'keep printing new lines as they are written', false)
  .option('--tail <lines>', 'only the last lines (-1: all)', (v) => Number(v), -1)
  .action((proc: string, f: ClusterFlags & { follow: boolean; tail: number }) => run(async () => (await import('./commands/logs.js')).logs({ dataDir: dataDirOf(f), process: proc, follow: f.follow, tail: f.tail })));

async function run(command: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await command();
  } catch (e) {
    if (!(e instanceof UsageError || e instanceof ClusterRecordError || e instanceof NodeCountError)) throw e;
    process.stderr.write(`kubets: ${e.message}\n`);
    process.exitCode = 1;
  }
}

await program.parseAsync();
