/** One migration file: its name (the record key) and its SQL text. */
export interface Migration {
  /** File name, e.g. `001_driver_locations.sql`. */
  name: string;
  /** The SQL to run, possibly several statements. */
  sql: string;
}

/** The migrations shipped with this module. */
export const MIGRATIONS_DIRECTORY: URL = new URL("./migrations/", import.meta.url);

const NAME_PATTERN = /^(\d{3,})_[a-z0-9_]+\.sql$/;

/**
 * Reads the `NNN_name.sql` files of `directory`, ordered by their number.
 * Other files are ignored; two files with the same number are an error.
 */
export async function readMigrations(
  directory: URL = MIGRATIONS_DIRECTORY,
): Promise<Migration[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isFile && NAME_PATTERN.test(entry.name)) names.push(entry.name);
  }
  const ordered = sortMigrationNames(names);
  return await Promise.all(ordered.map(async (name) => ({
    name,
    sql: await Deno.readTextFile(new URL(name, directory)),
  })));
}

/**
 * Orders migration file names by their numeric prefix.
 * Throws a `RangeError` for a name without one or a repeated number.
 */
export function sortMigrationNames(names: readonly string[]): string[] {
  const numbered = names.map((name) => {
    const match = NAME_PATTERN.exec(name);
    if (!match) throw new RangeError(`not a migration file name: ${name}`);
    return { name, number: Number(match[1]) };
  });
  numbered.sort((a, b) => a.number - b.number);
  for (let i = 1; i < numbered.length; i++) {
    if (numbered[i]!.number === numbered[i - 1]!.number) {
      throw new RangeError(
        `two migrations share number ${numbered[i]!.number}: ${numbered[i - 1]!.name}, ${
          numbered[i]!.name
        }`,
      );
    }
  }
  return numbered.map((m) => m.name);
}
