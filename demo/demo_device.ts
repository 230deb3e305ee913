import { JwtSigner } from "../sim/jwt_signer.ts";

/**
 * Registers a phone for the demo driver `driverId` (`POST /drivers/:id/devices` as ops) and
 * returns the settings to type into the app (docs/phones.md): its key, the server URL for
 * Traccar Client, and the custom URLs of OsmAnd and GPSLogger. `base` is the address the phone
 * reaches the service at (not `localhost` on a real phone: the machine's LAN address).
 */
export async function demoDeviceSettings(
  base: string,
  o: { secret: string; driverId: string },
): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const ops = await new JwtSigner(o.secret).sign({ sub: "demo-ops", role: "ops", exp });
  const res = await fetch(new URL(`/drivers/${encodeURIComponent(o.driverId)}/devices`, base), {
    method: "POST",
    headers: { Authorization: `Bearer ${ops}` },
  });
  const body = await res.json();
  if (res.status !== 201) {
    throw new Error(`registering a device: ${res.status} ${JSON.stringify(body)}`);
  }
  const key: string = body.key;
  const url = new URL("/osmand", base).href;
  return [
    `demo: a phone for driver ${o.driverId} (docs/phones.md):`,
    `  device key (Traccar Client "Device identifier"): ${key}`,
    `  Traccar Client server URL: ${url}`,
    `  OsmAnd online tracking: ${url}?id=${key}&lat={0}&lon={1}&timestamp={2}&hdop={3}` +
    `&altitude={4}&spd={5}&bearing={6}`,
    `  GPSLogger custom URL: ${url}?id=${key}&lat=%LAT&lon=%LON&timestamp=%TIMESTAMP&spd=%SPD` +
    `&dir=%DIR&acc=%ACC&batt=%BATT`,
    `  (on a real phone use this machine's LAN address instead of ${new URL(base).host})`,
  ].join("\n");
}
