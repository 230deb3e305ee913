/** A held lock on a data directory; see {@linkcode lockDataDir}. */
export interface DataDirLock {
  /** Removes the lock file (only if this process still owns it). */
  release(): Promise<void>;
}

/** Thrown when another live process holds the data directory. */
export class DataDirInUseError extends Error {
  /** The process that holds it. */
  readonly pid: number;

  /** Names the directory and the holder. */
  constructor(dataDir: string, pid: number) {
    super(
      `the embedded database ${dataDir} is in use by process ${pid}: one instance per data ` +
        `directory. Stop that instance, or set DATABASE_URL to a PostgreSQL server to run several.`,
    );
    this.name = "DataDirInUseError";
    this.pid = pid;
  }
}

/**
 * Makes `<dataDir>.lock` hold this process's pid, so that a second instance on the same embedded
 * database refuses to start instead of opening it too. A lock left by a process that is gone is
 * taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = `${dataDir.replace(/\/+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.writeTextFile(path, String(Deno.pid), { createNew: true });
      return {
        release: async () => {
          if ((await _holder(path)) === Deno.pid) await Deno.remove(path).catch(() => {});
        },
      };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const pid = await _holder(path);
      if (pid !== undefined && pid !== Deno.pid && _alive(pid)) {
        throw new DataDirInUseError(dataDir, pid);
      }
      await Deno.remove(path).catch(() => {});
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

async function _holder(path: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function _alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}
