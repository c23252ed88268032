/**
 * Whether a process of this machine with this pid is running (signal 0 probes without signalling).
 * EPERM means it runs under another user: alive. Only this machine's processes can be asked.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
