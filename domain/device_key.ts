import { createHash } from "node:crypto";

/** Random bytes in a device key: 128 bits. */
export const DEVICE_KEY_BYTES = 16;

/**
 * A new device key: {@linkcode DEVICE_KEY_BYTES} random bytes as lowercase hex (32 characters).
 * Hex, so it reads and types unambiguously on a phone, and a keyboard that capitalises the first
 * letter cannot break it ({@linkcode hashDeviceKey} ignores case).
 */
export function newDeviceKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(DEVICE_KEY_BYTES));
  return _hex(bytes);
}

/**
 * The SHA-256 of a key as stored and looked up (hex): the key is trimmed and lowercased first,
 * so `ABCD…` and ` abcd… ` name the same device.
 */
export function hashDeviceKey(key: string): string {
  // node:crypto's synchronous hash: ~1-2 µs, against ~38 µs for `crypto.subtle.digest` (an async
  // op on another thread), and every phone request hashes its key to find its cache entry.
  return createHash("sha256").update(key.trim().toLowerCase()).digest("hex");
}

function _hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
