import type { ZoneEvent } from "../domain/zone_event.ts";
import { zoneEventId } from "../domain/zone_event.ts";
import {
  judgePresence,
  noPresence,
  type ZonePresence,
  type ZoneRules,
} from "../domain/zone_presence.ts";
import type { ZoneIndex } from "./zone_index.ts";

/** A fix as the judge needs it. */
export interface JudgedFix {
  readonly driverId: string;
  readonly ts: number;
  readonly lat: number;
  readonly lon: number;
}

/** A zone event before it is stored (`createdAt` comes with the store). */
export type DecidedZoneEvent = Omit<ZoneEvent, "createdAt">;

/**
 * Judges fixes against the zones: for each fix, the zones of the index near it (an R-tree
 * look-up, then the exact distance to each candidate's edge), and the zones the driver is inside
 * (a driver far from a zone it is inside is outside by more than any margin, so it exits), each
 * through {@linkcode judgePresence}. Holds the presences it is given (the stored ones of the
 * batch's drivers) and what changed since {@linkcode takeChanges}.
 */
export class ZoneJudge {
  #rules: ZoneRules;
  /** driverId -> zoneId -> presence. */
  #presences = new Map<string, Map<string, ZonePresence>>();
  #changed = new Map<string, ZonePresence>();

  constructor(rules: ZoneRules) {
    this.#rules = rules;
  }

  /** Adopts stored presences (they replace what is held for the same zone and driver). */
  load(presences: readonly ZonePresence[]): void {
    for (const p of presences) this.#of(p.driverId).set(p.zoneId, p);
  }

  /** Judges one fix against `index`; returns the events it decided, in order. */
  judge(fix: JudgedFix, index: ZoneIndex): DecidedZoneEvent[] {
    const candidates = index.candidates(fix.lat, fix.lon);
    // Most fixes are near no zone, of a driver in none: nothing to hold or allocate.
    if (candidates.length === 0 && !this.#presences.has(fix.driverId)) return [];
    const held = this.#of(fix.driverId);
    const events: DecidedZoneEvent[] = [];
    const seen = new Set<string>();
    for (const { zone, shape } of candidates) {
      seen.add(zone.id);
      const distanceM = shape.signedDistance(fix.lat, fix.lon);
      this.#apply(
        held,
        zone.id,
        { fix, distanceM, dwellMs: zone.dwellSeconds * 1000 },
        events,
        index,
      );
    }
    for (const [zoneId, presence] of held) {
      if (seen.has(zoneId) || !presence.inside) continue;
      if (!index.get(zoneId)) continue; // deleted: nothing more is said about it
      this.#apply(held, zoneId, { fix, distanceM: Infinity, dwellMs: 0 }, events, index);
    }
    if (held.size === 0) this.#presences.delete(fix.driverId);
    return events;
  }

  /** Whether the driver is inside any zone, as far as this judge knows. */
  inside(driverId: string): boolean {
    for (const p of this.#presences.get(driverId)?.values() ?? []) if (p.inside) return true;
    return false;
  }

  /** The presences changed since the last call, newest per zone and driver. */
  takeChanges(): ZonePresence[] {
    const changes = [...this.#changed.values()];
    this.#changed.clear();
    return changes;
  }

  /** Forgets everything held (a batch is judged again from what is stored). */
  reset(): void {
    this.#presences.clear();
    this.#changed.clear();
  }

  #apply(
    held: Map<string, ZonePresence>,
    zoneId: string,
    at: { fix: JudgedFix; distanceM: number; dwellMs: number },
    events: DecidedZoneEvent[],
    index: ZoneIndex,
  ): void {
    const { fix, distanceM, dwellMs } = at;
    const before = held.get(zoneId) ?? noPresence(zoneId, fix.driverId);
    const change = judgePresence(before, { ts: fix.ts, distanceM }, {
      dwellMs,
      rules: this.#rules,
    });
    if (!change) return;
    held.set(zoneId, change.presence);
    this.#changed.set(`${zoneId}\n${fix.driverId}`, change.presence);
    const zone = index.get(zoneId)!.zone;
    for (const kind of change.kinds) {
      const episode = change.presence.episode;
      events.push({
        id: zoneEventId(zoneId, fix.driverId, kind, episode),
        zoneId,
        zoneName: zone.name,
        restaurantId: zone.restaurantId,
        driverId: fix.driverId,
        kind,
        episode,
        ts: fix.ts,
        lat: fix.lat,
        lon: fix.lon,
      });
    }
  }

  #of(driverId: string): Map<string, ZonePresence> {
    let held = this.#presences.get(driverId);
    if (!held) this.#presences.set(driverId, held = new Map());
    return held;
  }
}
