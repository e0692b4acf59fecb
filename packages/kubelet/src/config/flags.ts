// The kubelet's command line, with upstream's flag names and defaults where upstream has the flag.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { durationFlag, type LoggingFlags } from '@kubets/component-base';

export interface KubeletFlags extends LoggingFlags {
  kubeconfig?: string;
  nodeName?: string;
  hostnameOverride?: string;
  rootDir: string;
  nodeIp?: string;
  address: string;
  port: number;
  podCidr?: string;
  nodeLabels: string;
  registerWithTaints: string;
  nodeLeaseRenewInterval: number;
  nodeLeaseDurationSeconds: number;
  nodeStatusUpdateFrequency: number;
  nodeStatusReportFrequency: number;
  syncFrequency: number;
  containerLogMaxSize: string;
  containerLogMaxFiles: number;
  imageConfig?: string;
  systemReserved: string;
  kubeReserved: string;
  maxPods: number;
  hollowNodes: number;
  reset: boolean;
}

export function addKubeletFlags(program: Command): Command {
  return program
    .option('--kubeconfig <path>', 'kubeconfig file of the API server')
    .option('--node-name <name>', 'the name of the Node this kubelet registers (default: --hostname-override, else the host name)')
    .option('--hostname-override <name>', 'the Hostname address and kubernetes.io/hostname label (default: the node name)')
    .option('--root-dir <dir>', 'where the kubelet keeps pod directories, logs and its runtime records', '/var/lib/kubets/kubelet')
    .option('--node-ip <ip>', "the node's InternalIP, where the API server reaches this kubelet (default: --address when it is not 0.0.0.0, else 127.0.0.1)")
    .option('--address <ip>', 'address to serve on (logs, /healthz, /metrics, /pods)', '0.0.0.0')
    .option('--port <port>', 'port to serve on (0 picks a free one; the Node says which)', Number, 10250)
    .option('--pod-cidr <cidr>', "pod addresses when the controller manager does not allocate the node's spec.podCIDR (loopback, e.g. 127.64.1.0/24)")
    .option('--node-labels <k=v,...>', 'labels added to the Node when it registers', '')
    .option('--register-with-taints <k=v:Effect,...>', 'taints the Node registers with', '')
    .addOption(durationFlag('--node-lease-renew-interval <duration>', 'how often the node Lease is renewed', 10_000))
    .option('--node-lease-duration-seconds <n>', 'the Lease duration the node asks for', Number, 40)
    .addOption(durationFlag('--node-status-update-frequency <duration>', 'how often the node conditions are checked', 10_000))
    .addOption(durationFlag('--node-status-report-frequency <duration>', 'the Node status is written at least this often when nothing changed', 300_000))
    .addOption(durationFlag('--sync-frequency <duration>', 'how often every pod is synced even when nothing asked for it (ConfigMap and Secret volumes follow their objects at this pace)', 60_000))
    .option('--container-log-max-size <size>', 'a container log file is rotated when it passes this size', '10Mi')
    .option('--container-log-max-files <n>', 'log files kept per container, the current one included', Number, 5)
    .option('--image-config <file>', 'a JSON or YAML file of images the process runtime knows besides its built-in ones')
    .option('--system-reserved <cpu=..,memory=..>', 'resources held back for the system', '')
    .option('--kube-reserved <cpu=..,memory=..>', 'resources held back for Kubernetes daemons', '')
    .option('--max-pods <n>', 'pods this node can run (its pods capacity)', Number, 110)
    .option('--hollow-nodes <n>', 'hollow mode (kubemark): register N nodes from this process, keep their leases and report their pods Running without starting processes', Number, 0)
    .option('--reset', 'stop every container recorded under --root-dir, remove their sandboxes, and exit (what `kubets down` runs after stopping a kubelet)', false);
}

/** The node name as upstream derives it: --hostname-override, else the host name, lower-cased. */
export function nodeNameOf(flags: KubeletFlags): string {
  return (flags.nodeName ?? flags.hostnameOverride ?? hostname()).toLowerCase();
}

export function nodeIPOf(flags: KubeletFlags): string {
  if (flags.nodeIp !== undefined) return flags.nodeIp;
  return flags.address !== '0.0.0.0' && flags.address !== '::' ? flags.address : '127.0.0.1';
}
