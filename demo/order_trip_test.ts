import assert from "node:assert/strict";
import { OrderTrip, type TripPoint, type TripWalker } from "./order_trip.ts";
import { RouteWalker } from "../sim/route_walker.ts";
import { createRng } from "../sim/rng.ts";
import { distanceMeters } from "../sim/_geo.ts";

class FakeWalker implements TripWalker {
  arrived = false;
  calls: string[] = [];
  goTo(dest: TripPoint): void {
    this.arrived = false;
    this.calls.push(`goTo ${dest.lat},${dest.lon}`);
  }
  roam(): void {
    this.calls.push("roam");
  }
}

const order = { id: "o1", pickup: { lat: 1, lon: 1 }, dropoff: { lat: 2, lon: 2 } };
const options = { pickupDwellS: 20, dropoffDwellS: 10, resendAfterS: 10 };

Deno.test("OrderTrip drives to the pickup, waits, reports picked_up, then delivers after the drop-off wait", () => {
  const w = new FakeWalker();
  const trip = new OrderTrip(order, w, options);
  assert.deepEqual(w.calls, ["goTo 1,1"]);
  trip.step(5);
  assert.equal(trip.stage, "to_pickup");
  assert.equal(trip.due(), undefined);
  w.arrived = true;
  trip.step(1);
  assert.equal(trip.stage, "at_pickup");
  trip.step(19);
  assert.equal(trip.due(), undefined, "still waiting for the food");
  trip.step(1);
  assert.equal(trip.due(), "picked_up");
  trip.sent("picked_up");
  assert.equal(trip.due(), undefined, "sent: wait for the answer");
  trip.confirm("picked_up");
  assert.equal(trip.stage, "to_dropoff");
  assert.deepEqual(w.calls, ["goTo 1,1", "goTo 2,2"]);
  trip.step(100);
  assert.equal(trip.due(), undefined);
  w.arrived = true;
  trip.step(1);
  assert.equal(trip.stage, "at_dropoff");
  trip.step(9);
  assert.equal(trip.due(), undefined);
  trip.step(1);
  assert.equal(trip.due(), "delivered");
  trip.sent("delivered");
  trip.confirm("delivered");
  assert.equal(trip.stage, "done");
  assert.equal(trip.due(), undefined);
  assert.deepEqual(w.calls, ["goTo 1,1", "goTo 2,2", "roam"]);
});

Deno.test("OrderTrip sends an unanswered event again after resendAfterS, and counts the sends", () => {
  const w = new FakeWalker();
  const trip = new OrderTrip(order, w, { ...options, pickupDwellS: 0 });
  w.arrived = true;
  trip.step(1);
  assert.equal(trip.due(), "picked_up");
  trip.sent("picked_up");
  trip.step(9.5);
  assert.equal(trip.due(), undefined);
  trip.step(0.5);
  assert.equal(trip.due(), "picked_up", "no answer in 10 s: send again");
  trip.sent("picked_up");
  assert.equal(trip.unconfirmedSends, 2);
  trip.confirm("assigned");
  assert.equal(trip.stage, "at_pickup", "a status that is not news changes nothing");
  trip.confirm("picked_up");
  assert.equal(trip.unconfirmedSends, 0);
});

Deno.test("OrderTrip follows the server: picked_up seen early moves on, cancelled ends the trip", () => {
  const w = new FakeWalker();
  const trip = new OrderTrip(order, w, options);
  trip.confirm("picked_up");
  assert.equal(trip.stage, "to_dropoff");
  trip.confirm("picked_up");
  assert.deepEqual(w.calls, ["goTo 1,1", "goTo 2,2"], "a repeated answer does not re-route");
  const other = new OrderTrip(order, new FakeWalker(), options);
  other.confirm("cancelled");
  assert.equal(other.stage, "done");
  assert.equal(other.due(), undefined);
});

Deno.test("OrderTrip with a RouteWalker reaches the pickup and the drop-off in simulated time", () => {
  const walker = new RouteWalker(createRng(3));
  const pickup = { lat: 12.96, lon: 77.6 };
  const dropoff = { lat: 12.975, lon: 77.61 };
  const trip = new OrderTrip({ id: "o2", pickup, dropoff }, walker, options);
  const events: string[] = [];
  for (let s = 0; s < 4 * 3600 && trip.stage !== "done"; s++) {
    walker.advance(1);
    trip.step(1);
    const e = trip.due();
    if (e) {
      const p = walker.position;
      const target = e === "picked_up" ? pickup : dropoff;
      assert.ok(distanceMeters(p.lat, p.lon, target.lat, target.lon) < 1, `${e} at the spot`);
      events.push(e);
      trip.sent(e);
      trip.confirm(e);
    }
  }
  assert.deepEqual(events, ["picked_up", "delivered"]);
  assert.equal(walker.arrived, false, "roaming again");
});
