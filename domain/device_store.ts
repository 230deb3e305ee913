import { z } from "zod";

/** A phone registered for a driver, as listed (never with its key). */
export const deviceSchema = z.object({
  id: z.string().meta({ description: "The device's id, for listing and revoking." }),
  driverId: z.string(),
  createdAt: z.number().int().meta({ description: "Epoch ms." }),
});

/** A phone registered for a driver. */
export type Device = z.infer<typeof deviceSchema>;

/**
 * Device keys (the identifier a phone app sends), stored as SHA-256 hashes only; implemented by
 * `PostgresDeviceStore` in `infra/postgres/`.
 */
export interface DeviceStore {
  /** Stores a new device of `driverId` whose key hashes to `keyHash` (hex); returns it. */
  add(driverId: string, keyHash: string, now: number): Promise<Device>;
  /** The driver's devices that are not revoked, oldest first. */
  list(driverId: string): Promise<Device[]>;
  /** Revokes a device of `driverId`; false when it has no such device (or it was revoked). */
  revoke(driverId: string, deviceId: string, now: number): Promise<boolean>;
  /** The driver of the device whose key hashes to `keyHash`, if it exists and is not revoked. */
  driverOfKey(keyHash: string): Promise<string | undefined>;
}
