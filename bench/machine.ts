/** The machine a run was measured on, for the report header. */
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  /** 1-minute load average when asked: other work on the machine skews timings. */
  load: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    load: os.loadavg()[0] ?? 0,
  };
}
