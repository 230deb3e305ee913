import type { Device, DeviceStore } from "../../domain/device_store.ts";
import type { Sql } from "./connect_postgres.ts";

interface _DeviceRow {
  id: string;
  driver_id: string;
  created_at: string;
}

/** {@linkcode DeviceStore} on the `devices` table (`migrations/006_devices.sql`). */
export class PostgresDeviceStore implements DeviceStore {
  #sql: Sql;

  /** Uses the pool `sql`, which the caller owns and closes. */
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** {@inheritDoc DeviceStore.add} */
  async add(driverId: string, keyHash: string, now: number): Promise<Device> {
    const id = crypto.randomUUID();
    const rows = await this.#sql<_DeviceRow[]>`
      INSERT INTO devices (id, driver_id, key_hash, created_at)
      VALUES (${id}, ${driverId}, ${keyHash}, ${now})
      RETURNING id, driver_id, created_at`;
    return _toDevice(rows[0]!);
  }

  /** {@inheritDoc DeviceStore.list} */
  async list(driverId: string): Promise<Device[]> {
    const rows = await this.#sql<_DeviceRow[]>`
      SELECT id, driver_id, created_at FROM devices
      WHERE driver_id = ${driverId} AND revoked_at IS NULL
      ORDER BY created_at, id`;
    return rows.map(_toDevice);
  }

  /** {@inheritDoc DeviceStore.revoke} */
  async revoke(driverId: string, deviceId: string, now: number): Promise<boolean> {
    const rows = await this.#sql`
      UPDATE devices SET revoked_at = ${now}
      WHERE id = ${deviceId} AND driver_id = ${driverId} AND revoked_at IS NULL
      RETURNING id`;
    return rows.length > 0;
  }

  /** {@inheritDoc DeviceStore.driverOfKey} */
  async driverOfKey(keyHash: string): Promise<string | undefined> {
    const rows = await this.#sql<{ driver_id: string }[]>`
      SELECT driver_id FROM devices WHERE key_hash = ${keyHash} AND revoked_at IS NULL`;
    return rows[0]?.driver_id;
  }
}

function _toDevice(row: _DeviceRow): Device {
  return { id: row.id, driverId: row.driver_id, createdAt: Number(row.created_at) };
}
