/** Metres per degree of latitude (along a meridian), close enough for test tracks. */
const M_PER_DEG_LAT = 111_195;

/** The point `meters` north of `p` (south when negative). */
export function north(
  p: { lat: number; lon: number },
  meters: number,
): { lat: number; lon: number } {
  return { lat: p.lat + meters / M_PER_DEG_LAT, lon: p.lon };
}
