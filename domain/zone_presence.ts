import type { ZoneEventKind } from "./zone_event.ts";

/** Where a driver stands with one zone: stored, so a restart or a rebalance resumes from it. */
export interface ZonePresence {
  readonly zoneId: string;
  readonly driverId: string;
  /** The driver's latest visit to the zone, counted from 1; 0 before the first. */
  readonly episode: number;
  readonly inside: boolean;
  /** Fix time of this visit's `enter`, epoch ms. */
  readonly enteredTs: number;
  /** Whether this visit's `dwell` was decided. */
  readonly dwelt: boolean;
  /** Fix time of the last change; a fix not newer than this was judged already (redelivery). */
  readonly lastTs: number;
}

/** The hysteresis of zones, metres (docs/zones.md). */
export interface ZoneRules {
  /** A driver enters once inside the edge by at least this much. */
  readonly enterMarginM: number;
  /** A driver inside exits once outside the edge by at least this much. */
  readonly exitMarginM: number;
}

/** The defaults of {@linkcode ZoneRules}. */
export const ZONE_RULE_DEFAULTS: ZoneRules = { enterMarginM: 10, exitMarginM: 20 };

/** The presence of a driver who never met the zone. */
export function noPresence(zoneId: string, driverId: string): ZonePresence {
  return { zoneId, driverId, episode: 0, inside: false, enteredTs: 0, dwelt: false, lastTs: 0 };
}

/** What one fix did to a presence: the presence after it, and the events it decided (in order). */
export interface PresenceChange {
  readonly presence: ZonePresence;
  readonly kinds: readonly ZoneEventKind[];
}

/**
 * The zone rule for one fix at `distanceM` from the zone's edge (negative inside): a driver
 * outside enters once inside by `enterMarginM`; a driver inside exits once outside by
 * `exitMarginM`; anything in between keeps the state, so GPS jitter across the edge does not
 * flap. `dwell` comes once per visit, at the first fix `dwellMs` or more after the enter (with
 * the enter when `dwellMs` is 0). A fix not newer than `lastTs` changes nothing. Returns
 * `undefined` when nothing changed.
 */
export function judgePresence(
  before: ZonePresence,
  fix: { readonly ts: number; readonly distanceM: number },
  options: { readonly dwellMs: number; readonly rules: ZoneRules },
): PresenceChange | undefined {
  const { ts, distanceM } = fix;
  const { dwellMs, rules } = options;
  if (ts <= before.lastTs) return undefined;
  if (!before.inside) {
    if (distanceM > -rules.enterMarginM) return undefined;
    const entered = { ...before, episode: before.episode + 1, inside: true, enteredTs: ts };
    const dwelt = dwellMs <= 0;
    return {
      presence: { ...entered, dwelt, lastTs: ts },
      kinds: dwelt ? ["enter", "dwell"] : ["enter"],
    };
  }
  if (distanceM >= rules.exitMarginM) {
    return { presence: { ...before, inside: false, lastTs: ts }, kinds: ["exit"] };
  }
  if (!before.dwelt && ts - before.enteredTs >= dwellMs) {
    return { presence: { ...before, dwelt: true, lastTs: ts }, kinds: ["dwell"] };
  }
  return undefined;
}
