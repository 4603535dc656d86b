import { readdirSync, readlinkSync } from "node:fs";

/** A process with more open files than this is read only this far: the check stays bounded. */
export const MAX_FDS_READ = 65_536;

/**
 * The inodes of the sockets process `pid` holds open (its /proc/PID/fd links `socket:[N]`), and
 * how many descriptors it has in all; null when its descriptors cannot be read (the process is
 * gone, or belongs to another user and Lifeguard may not look).
 */
export function readSocketInodes(pid: number): { inodes: Set<number>; fds: number } | null {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const inodes = new Set<number>();
  for (const name of names.slice(0, MAX_FDS_READ)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      continue; // Closed between the listing and the read.
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined) inodes.add(Number(inode));
  }
  return { inodes, fds: names.length };
}
