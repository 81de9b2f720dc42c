// How an event's time reads on its own clock, in UTC and in London (zones.js dateLabel), as
// timeline/views/figure.py date_labels writes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { dateLabel, offsetLabel } = load("zones.js");

// The strike: Fri 3 Jan 2020 00:47 in Baghdad (UTC+3) is Thu 2 Jan 21:47 UTC and in London (GMT).
const strike = Date.UTC(2020, 0, 2, 21, 47) / 1000;
const ev = (s, p, own, london) => ({ s: [s], p: [p], own: [own], london: [london] });

test("a time reads on the event's clock, in UTC and in London", () => {
  const e = ev(strike, 3, 180, 0);
  assert.equal(dateLabel(e, 0, "own"), "Friday 3 January 2020, 00:47 (UTC+03:00)");
  assert.equal(dateLabel(e, 0, "utc"), "Thursday 2 January 2020, 21:47 (UTC)");
  assert.equal(dateLabel(e, 0, "london"), "Thursday 2 January 2020, 21:47 (London, GMT)");
});

test("London in summer is BST; seconds when the precision has them", () => {
  const july = Date.UTC(2020, 6, 1, 11, 0, 5) / 1000;
  assert.equal(dateLabel(ev(july, 4, -240, 60), 0, "london"), "Wednesday 1 July 2020, 12:00:05 (London, BST)");
  assert.equal(dateLabel(ev(july, 4, -240, 60), 0, "own"), "Wednesday 1 July 2020, 07:00:05 (UTC-04:00)");
});

test("a date, a month or a year never moves with the zone", () => {
  const day = Date.UTC(2020, 0, 3) / 1000;
  for (const zone of ["own", "utc", "london"]) {
    assert.equal(dateLabel(ev(day, 2, 600, 60), 0, zone), "Friday 3 January 2020");
    assert.equal(dateLabel(ev(day, 1, 600, 60), 0, zone), "January 2020");
    assert.equal(dateLabel(ev(day, 0, 600, 60), 0, zone), "2020");
  }
});

test("offsets read as UTC±hh:mm", () => {
  assert.equal(offsetLabel(0), "UTC+00:00");
  assert.equal(offsetLabel(330), "UTC+05:30");
  assert.equal(offsetLabel(-570), "UTC-09:30");
});
