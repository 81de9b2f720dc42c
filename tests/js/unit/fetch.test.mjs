// Retry-After as RFC 9110 reads it (fetch.js retryAfter), and the backoff without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { retryAfter, backoff, MAX_WAIT } = load("fetch.js");
const ahead = (s) => new Date(Date.now() + s * 1000);

test("seconds are read as seconds, capped at MAX_WAIT", () => {
  assert.equal(retryAfter("0"), 0);
  assert.equal(retryAfter("7"), 7);
  assert.equal(retryAfter(" 12 "), 12);
  assert.equal(retryAfter("3600"), MAX_WAIT);
});

test("a missing or unreadable value is null (the caller backs off)", () => {
  for (const v of [null, undefined, "", "soon", "1.5", "-1", "1e3", "2026-12-07T10:00:00Z"]) {
    assert.equal(retryAfter(v), null, `Retry-After: ${v}`);
  }
});

test("the three HTTP-date shapes are read in UTC", () => {
  const when = ahead(10);
  const imf = when.toUTCString(); // "Mon, 07 Dec 2026 10:00:00 GMT"
  const [, dd, mon, yyyy, time] = imf.split(" ");
  const days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const rfc850 = `${days[when.getUTCDay()]}, ${dd}-${mon}-${yyyy.slice(2)} ${time} GMT`;
  const asctime = `${imf.slice(0, 3)} ${mon} ${String(when.getUTCDate()).padStart(2, " ")} ${time} ${yyyy}`;
  for (const v of [imf, rfc850, asctime]) {
    const s = retryAfter(v);
    assert.ok(s > 8 && s <= 10, `${v} read as ${s} s`);
  }
});

test("a date past means at once; a date far ahead waits the cap", () => {
  assert.equal(retryAfter(ahead(-60).toUTCString()), 0);
  assert.equal(retryAfter(ahead(3600).toUTCString()), MAX_WAIT);
});

test("backoff doubles and keeps within half of it", () => {
  for (let n = 0; n < 4; n++) {
    const full = Math.min(2 ** n, MAX_WAIT);
    for (let k = 0; k < 50; k++) {
      const s = backoff(n);
      assert.ok(s > full / 2 && s <= full, `attempt ${n}: ${s}`);
    }
  }
});
