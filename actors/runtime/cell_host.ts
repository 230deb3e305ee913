import type { ActorRef } from "./types.ts";
import type { KindStats } from "./cell_mailbox.ts";
import type { Clock } from "./clock.ts";
import type { ResolvedKind } from "./resolve_kind.ts";

/** What a cell needs from its system. Internal. */
export interface CellHost<M> {
  kind: string;
  id: string;
  def: ResolvedKind<M>;
  clock: Clock;
  self: ActorRef<M>;
  stats: KindStats;
  /** Whether the system is shutting down: mailboxes drain, then their actors stop. */
  shuttingDown(): boolean;
  /** Counts cells with work in progress, for `ActorSystem.settled`. */
  busy(delta: 1 | -1): void;
  report(error: unknown): void;
  /** The cell stopped for good and leaves the registry. */
  removed(): void;
}
