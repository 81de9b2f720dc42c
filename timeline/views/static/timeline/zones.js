/* Time zones: how an event's time reads on its own clock, in UTC or in London (the list's
   dates, the chart's hover labels and axis title). dateLabel is pure (tests/js). */
/* global Timeline, text */
/* exported DAYS, MONTHS, ZONE_TITLES, ZONE_SHORT, pad, offsetLabel, dateLabel, dayLabel */
var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

var ZONE_TITLES = { own: "Time as reported (each event's local clock)", utc: "UTC", london: "London time" };
// The axis title on a narrow chart (a phone): the long one would be cut at the right.
var ZONE_SHORT = { own: "Local time as reported", utc: "UTC", london: "London time" };

function pad(n) { return n < 10 ? "0" + n : String(n); }
function offsetLabel(m) {
  var a = Math.abs(m);
  return "UTC" + (m < 0 ? "-" : "+") + pad(Math.floor(a / 60)) + ":" + pad(a % 60);
}

/* How event i's start reads in a zone (as timeline/figure.py date_labels writes it); ``ev``:
   the events' columns of #tl-data (s: start, UTC seconds; p: precision, 0 year to 4 seconds;
   own, london: the offsets in minutes of the event's clock and London's). */
function dateLabel(ev, i, zone) {
  var p = ev.p[i], ms = ev.s[i] * 1000, shift = 0;
  if (p >= 3 && zone !== "utc") shift = (zone === "own" ? ev.own[i] : ev.london[i]) || 0;
  var d = new Date(ms + shift * 60000), y = d.getUTCFullYear();
  if (p === 0) return String(y);
  if (p === 1) return MONTHS[d.getUTCMonth()] + " " + y;
  var day = DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
  if (p === 2) return day;
  var clock = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (p === 4 ? ":" + pad(d.getUTCSeconds()) : "");
  var tag = zone === "utc" ? "UTC" : zone === "own" ? offsetLabel(ev.own[i] || 0) : "London, " + (ev.london[i] ? "BST" : "GMT");
  return day + ", " + clock + " (" + tag + ")";
}

Timeline.prototype.dateLabel = function (i, zone) { return dateLabel(this.ev, i, zone); };

/* Event i's hover label in a zone (made on first use: a long story has many). */
Timeline.prototype.hover = function (i, zone) {
  var cache = this.labels[zone] || (this.labels[zone] = []);
  var out = cache[i];
  if (out === undefined) {
    var dd = this.ev.dd[i], when = text(this.dateLabel(i, zone));
    out = dd ? (this.ev.p[i] >= 3 ? text(dd) + "<br>" + when : text(dd)) : when;
    out = cache[i] = out + "<br><b>" + text(this.ev.title[i]) + "</b>";
  }
  return out;
};

Timeline.prototype.shift = function (i, zone) {
  if (zone === "utc") return 0;
  var m = zone === "own" ? this.ev.own[i] : this.ev.london[i];
  return m == null ? 0 : m * 60000;
};

function dayLabel(ms) {
  var d = new Date(ms);
  return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()].slice(0, 3) + " " + d.getUTCFullYear();
}

/* Times in the list follow the zone control (dates alone never change). */
Timeline.prototype.updateZone = function (zone) {
  if (zone === (this.zone || "own")) return;
  this.zone = zone;
  for (var id in this.items) this.zoneLabel(this.items[id], zone);
};

Timeline.prototype.zoneLabel = function (item, zone) {
  var i = item.i;
  if (i === undefined || this.ev.p[i] < 3) return;
  var t = item.li.querySelector(".tl-date time");
  if (!t) return;
  // The page shows one date: the desk's display date (kept to come back to) or the exact one.
  if (!t.hasAttribute("data-own")) t.setAttribute("data-own", t.textContent);
  t.textContent = zone === "own" ? t.getAttribute("data-own") : this.dateLabel(i, zone);
};
