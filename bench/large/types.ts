import type { ServerName } from '../servers/types.js';
import type { DiskResult } from './disk.js';

/** One copy up and down of the file on one server in one round. */
export interface TransferRound {
  round: number;
  /** Set when the copy failed (the MB/s fields are then absent). */
  error?: string;
  uploadSeconds?: number;
  uploadMBps?: number;
  downloadSeconds?: number;
  downloadMBps?: number;
  /** CPU time (utime + stime, all threads) the server process used during each copy. */
  serverCpuUploadSeconds?: number;
  serverCpuDownloadSeconds?: number;
  /** Size and SHA-256 of the downloaded file equal the source's. */
  downloadMatches?: boolean;
  rssBeforeMiB?: number;
  peakRssUploadMiB?: number;
  peakRssDownloadMiB?: number;
}

export interface ServerTransfers {
  server: ServerName;
  pid: number;
  rounds: TransferRound[];
  /** Medians over the rounds that succeeded. */
  uploadMBps?: number;
  downloadMBps?: number;
  serverCpuUploadSeconds?: number;
  serverCpuDownloadSeconds?: number;
  /** Highest over the rounds. */
  peakRssUploadMiB?: number;
  peakRssDownloadMiB?: number;
}

export interface LargeTransferReport {
  version: 1;
  complete: boolean;
  revision: string;
  startedAt: string;
  finishedAt: string;
  awsCli: string;
  fileMiB: number;
  rounds: number;
  /** `df -T` of the temp directory holding the source file, the downloads and the servers' data. */
  filesystem: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  uptimeStart: string;
  uptimeEnd: string;
  disk?: DiskResult;
  servers: ServerTransfers[];
  /** Servers that were skipped or failed to start, and why. */
  notes: string[];
  /** Whether sailbucket-relaxed has the highest median MB/s of the servers that ran (peers compared). */
  relaxedFastest?: { upload: boolean; download: boolean; comparedWith: ServerName[] };
}
