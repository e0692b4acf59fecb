// Reads the machine facts the Node reports: cores, memory, the root dir's filesystem size, and
// the identifiers and versions of nodeInfo, from the places upstream's cAdvisor reads them.
import { readFile, statfs } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { MachineInfo } from './types.js';

/** Node's process.arch in Go's GOARCH spelling, which nodeInfo and the arch labels use. */
export function goArch(nodeArch: string = arch()): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', mips: 'mips', mipsel: 'mipsle' };
  return names[nodeArch] ?? nodeArch;
}

/** An unreadable file is an empty answer: containers and VMs often lack /sys/class/dmi. */
async function readTrimmed(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME of /etc/os-release, as cAdvisor's ContainerOsVersion; "Linux" without one. */
export function osImageFrom(osRelease: string): string {
  const line = osRelease.split('\n').find((l) => l.startsWith('PRETTY_NAME='));
  if (line === undefined) return 'Linux';
  return line.slice('PRETTY_NAME='.length).replace(/^"(.*)"$/, '$1');
}

export async function readMachineInfo(rootDir: string): Promise<MachineInfo> {
  const fs = await statfs(rootDir);
  return {
    cpuCores: cpus().length,
    memoryBytes: totalmem(),
    ephemeralStorageBytes: fs.blocks * fs.bsize,
    machineID: await readTrimmed('/etc/machine-id'),
    systemUUID: await readTrimmed('/sys/class/dmi/id/product_uuid'),
    bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
    kernelVersion: release(),
    osImage: osImageFrom(await readTrimmed('/etc/os-release')),
    operatingSystem: platform(),
    architecture: goArch(),
  };
}
