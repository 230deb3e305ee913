/**
 * Parses a list of IPv4 addresses given as comma-separated addresses and ranges
 * ("127.0.0.2-127.0.0.9,127.0.1.1"); ranges may differ only in their last octet.
 * An empty string gives an empty list.
 */
export function parseIpList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [from, to] = part.split("-").map((s) => s.trim());
    const a = _octets(from ?? "");
    if (to === undefined) {
      out.push(a.join("."));
      continue;
    }
    const b = _octets(to);
    if (a.slice(0, 3).join(".") !== b.slice(0, 3).join(".") || b[3]! < a[3]!) {
      throw new RangeError(`bad address range ${part}: only the last octet may vary, upwards`);
    }
    for (let i = a[3]!; i <= b[3]!; i++) out.push(`${a.slice(0, 3).join(".")}.${i}`);
  }
  return out;
}

function _octets(ip: string): number[] {
  const o = ip.split(".").map(Number);
  if (o.length !== 4 || o.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) {
    throw new RangeError(`not an IPv4 address: ${ip}`);
  }
  return o;
}
