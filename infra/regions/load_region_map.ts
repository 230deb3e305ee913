import { RegionMap } from "../../domain/region_map.ts";

/** Reads and validates a regions JSON file (`REGIONS_FILE`); throws naming the problem. */
export async function loadRegionMap(path: string): Promise<RegionMap> {
  const text = await Deno.readTextFile(path);
  return new RegionMap(JSON.parse(text));
}
