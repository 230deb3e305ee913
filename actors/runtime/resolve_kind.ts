import { ACTOR_DEFAULTS } from "./actor_defaults.ts";
import { type Decider, restartAlways } from "./supervision.ts";
import type { ActorKind, MailboxOptions, SupervisionOptions } from "./types.ts";

/** An {@linkcode ActorKind} with defaults filled in and values checked. Internal. */
export interface ResolvedKind<M> {
  create: ActorKind<M>["create"];
  mailbox: MailboxOptions<M>;
  idleMs: number | undefined;
  throughput: number;
  supervision: SupervisionOptions & { decide: Decider };
}

/** Fills in defaults and rejects invalid settings with a built-in error. */
export function resolveKind<M>(kind: string, def: ActorKind<M>): ResolvedKind<M> {
  const mailbox = def.mailbox ?? ACTOR_DEFAULTS.mailbox;
  const throughput = def.throughput ?? ACTOR_DEFAULTS.throughput;
  const supervision: SupervisionOptions = def.supervision ?? ACTOR_DEFAULTS.supervision;
  _check(kind, { throughput }, 1, true);
  _check(kind, { "mailbox.capacity": mailbox.capacity }, 1, true);
  if (def.idleMs !== undefined) _check(kind, { idleMs: def.idleMs }, 0, false);
  if (supervision.maxRestarts !== Infinity) {
    _check(kind, { "supervision.maxRestarts": supervision.maxRestarts }, 0, true);
  }
  for (const field of ["windowMs", "backoffMs", "maxBackoffMs"] as const) {
    _check(kind, { [`supervision.${field}`]: supervision[field] }, 0, false);
  }
  if (mailbox.overflow === "conflate" && mailbox.conflateKey === undefined) {
    throw new TypeError(`actor kind ${kind}: overflow "conflate" needs mailbox.conflateKey`);
  }
  return {
    create: def.create.bind(def),
    mailbox,
    idleMs: def.idleMs,
    throughput,
    supervision: { ...supervision, decide: supervision.decide ?? restartAlways },
  };
}

function _check(kind: string, field: Record<string, number>, min: number, integer: boolean): void {
  for (const [name, value] of Object.entries(field)) {
    if (Number.isFinite(value) && value >= min && (!integer || Number.isInteger(value))) continue;
    const what = integer ? "an integer" : "a finite number";
    throw new RangeError(`actor kind ${kind}: ${name} must be ${what} >= ${min}, got ${value}`);
  }
}
