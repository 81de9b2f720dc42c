/* Time zones: how an event's time reads on its own clock, in UTC or in London (the list's
   dates, the chart's hover labels and axis title). dateLabel is pure (tests/js). */
/* global Timeline, text, _, LANG */
/* exported DAYS, MONTHS, zoneTitle, pad, offsetLabel, dateLabel, dayLabel, localDigits, localised */
var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

/* The time axis' title in a zone; ``short``: on a narrow chart (a phone), where the long one
   would be cut at the edge. */
function zoneTitle(zone, short) {
  if (zone === "utc") return "UTC";
  if (zone === "london") return _("London time");
  return short ? _("Local time as reported") : _("Time as reported (each event's local clock)");
}

/* Whether the page speaks a language other than English (its dates then come from Intl). */
function localised() { return !/^en(-|$)/.test(LANG.tag); }

/* Intl's date format for the story's language, calendar and digits (made once per options). */
var FORMATS = {};
function intlFormat(key, options) {
  var cal = LANG.calendar && LANG.calendar !== "gregorian" ? LANG.calendar : "gregory"; // BCP 47's name
  var tag = LANG.tag + "-u-ca-" + cal + "-nu-" + (LANG.digits || "latn");
  var f = FORMATS[tag + key];
  if (!f) {
    var o = { timeZone: "UTC" };
    for (var k in options) o[k] = options[k];
    f = FORMATS[tag + key] = new Intl.DateTimeFormat(tag, o);
  }
  return f;
}
var DAY_OPTIONS = { weekday: "long", day: "numeric", month: "long", year: "numeric" };

/* ``s`` with its Latin digits written in the story's language's (Persian digits in fa). */
function localDigits(s) {
  var table = { arab: "٠١٢٣٤٥٦٧٨٩", arabext: "۰۱۲۳۴۵۶۷۸۹" }[LANG.digits];
  return table ? String(s).replace(/[0-9]/g, function (d) { return table[Number(d)]; }) : String(s);
}

/* The months (or, with ``years``, the years) of the language's calendar that a Gregorian month
   or year overlaps, from ``first`` to ``last``: دی–بهمن ۱۳۹۸, ۱۳۹۸–۱۳۹۹ (as formats.py _span). */
function calendarSpan(first, last, years) {
  var yf = intlFormat("y", { year: "numeric" }), mf = intlFormat("m", { month: "long" });
  var ya = yf.format(first), yb = yf.format(last);
  if (years) return ya === yb ? ya : ya + "\u2013" + yb;
  var ma = mf.format(first), mb = mf.format(last);
  if (ya !== yb) return ma + " " + ya + " \u2013 " + mb + " " + yb;
  return (ma === mb ? ma : ma + "\u2013" + mb) + " " + ya;
}

/* dateLabel for a language other than English: the language's calendar (a Gregorian year or month
   is the span of the calendar's years or months it overlaps, never renamed), words and digits,
   as timeline/views/figure.py date_labels writes it with timeline.i18n.formats. */
function localDateLabel(d, p, zone, ev, i) {
  var ms = d.getTime(), y = d.getUTCFullYear(), m = d.getUTCMonth();
  if (p === 0 || p === 1) {
    var first = new Date(p === 0 ? Date.UTC(y, 0, 1) : Date.UTC(y, m, 1));
    var last = new Date((p === 0 ? Date.UTC(y + 1, 0, 1) : Date.UTC(y, m + 1, 1)) - 86400000);
    var f = p === 0 ? intlFormat("y", { year: "numeric" }) : intlFormat("ym", { month: "long", year: "numeric" });
    if (!LANG.calendar || LANG.calendar === "gregorian") return f.format(first);
    return calendarSpan(first, last, p === 0);
  }
  // ICU's Solar Hijri pattern with a weekday is CLDR root's (year first): the weekday, then the
  // day (timeline/i18n/formats.py PATTERN_OVERRIDES writes it the same way).
  var day = LANG.calendar === "persian" ? intlFormat("wd", { weekday: "long" }).format(d) + " " +
    intlFormat("dmy", { day: "numeric", month: "long", year: "numeric" }).format(d) :
    intlFormat("day", DAY_OPTIONS).format(d);
  if (p === 2) return day;
  var clock = intlFormat(p === 4 ? "hms" : "hm", p === 4 ?
    { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } :
    { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
  var tag = zone === "utc" ? "UTC" : zone === "own" ? localDigits(offsetLabel(ev.own[i] || 0)) :
    _("London, %(abbr)s", { abbr: ev.london[i] ? "BST" : "GMT" });
  return _("%(day)s, %(time)s (%(zone)s)", { day: day, time: clock, zone: tag });
}

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
  if (localised()) return localDateLabel(d, p, zone, ev, i);
  if (p === 0) return String(y);
  if (p === 1) return MONTHS[d.getUTCMonth()] + " " + y;
  var day = DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
  if (p === 2) return day;
  var clock = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (p === 4 ? ":" + pad(d.getUTCSeconds()) : "");
  var tag = zone === "utc" ? "UTC" : zone === "own" ? offsetLabel(ev.own[i] || 0) : "London, " + (ev.london[i] ? "BST" : "GMT");
  return day + ", " + clock + " (" + tag + ")";
}

Timeline.prototype.dateLabel = function (i, zone) { return dateLabel(this.ev, i, zone); };

/* Event i's hover label in a zone: its date (made on first use: a long story has many) and its
   title (a title the page could not fetch is left out). */
Timeline.prototype.hover = function (i, zone) {
  var cache = this.labels[zone] || (this.labels[zone] = []);
  var out = cache[i], title = this.titleOf(i);
  if (out === undefined) {
    var dd = this.ev.dd[i], when = text(this.dateLabel(i, zone));
    out = cache[i] = dd ? (this.ev.p[i] >= 3 ? text(dd) + "<br>" + when : text(dd)) : when;
  }
  return title === undefined ? out : out + "<br><b>" + text(title) + "</b>";
};

Timeline.prototype.shift = function (i, zone) {
  if (zone === "utc") return 0;
  var m = zone === "own" ? this.ev.own[i] : this.ev.london[i];
  return m == null ? 0 : m * 60000;
};

function dayLabel(ms) {
  var d = new Date(ms);
  if (localised()) return intlFormat("dmy", { day: "numeric", month: "short", year: "numeric" }).format(d);
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
