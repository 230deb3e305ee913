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
export async function hashDeviceKey(key: string): Promise<string> {
  const data = new TextEncoder().encode(key.trim().toLowerCase());
  return _hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

function _hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
