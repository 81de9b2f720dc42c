/* The chart: its traces (a marker per event and lane, or groups for a long story), the
   initial range, the layout, and drawing with Plotly. */
/* global Timeline, $, text, pad, dayLabel, zoneTitle, _, ngettext, num, LANG, localDigits, localised, numText */
/* exported worstOf, pickTicks, cellsKey */
// Tick steps in months, as timeline/views/chart_language.py STEPS.
var STEPS = [1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000];
var DAY_STEPS = [1, 2, 7, 14]; // a short range's days: each, every other, 1 8 15 22, 1 15 (DAY_STEPS)

/* The ticks of ``ticks`` (language.py axis_ticks) to show from ``lo`` to ``hi`` (ms), at most
   ``most``: every month, or every 2, 3, 4 or 6 from the year's first, else every 1, 2, 5, 10, ...
   years (language.py pick_ticks chooses the same way). */
function pickTicks(ticks, lo, hi, most) {
  var days = (hi - lo) / 86400000, k, vals = [], out = [];
  if (ticks.days && ticks.days.length && days / 30.44 < most / 2) { // a short range: its days
    var dstep = 14;
    for (k = 0; k < DAY_STEPS.length; k++) if (days / DAY_STEPS[k] <= most) { dstep = DAY_STEPS[k]; break; }
    ticks.days.forEach(function (t) {
      var d = t[1];
      var on = dstep === 7 ? d === 1 || d === 8 || d === 15 || d === 22 : dstep === 14 ? d === 1 || d === 15 : (d - 1) % dstep === 0;
      if (t[0] >= lo && t[0] <= hi && on) { vals.push(t[0]); out.push(t[2]); }
    });
    return { vals: vals, text: out };
  }
  var months = Math.max((hi - lo) / (30.44 * 86400000), 1), step = STEPS[STEPS.length - 1];
  for (var s = 0; s < STEPS.length; s++) if (months / STEPS[s] <= most) { step = STEPS[s]; break; }
  for (k = 0; k < ticks.ms.length; k++) {
    var ms = ticks.ms[k], m = ticks.m[k];
    if (ms < lo || ms > hi) continue;
    if (step < 12 ? (m - 1) % step === 0 : m === 1 && ticks.y[k] % (step / 12) === 0) {
      vals.push(ms); out.push(step < 12 ? ticks.month[k] : ticks.year[k]);
    }
  }
  return { vals: vals, text: out };
}
// Above this many events in view, the chart shows groups: one marker per lane, verdict and
// period (an hour to a decade, whichever keeps the view under MAX_BINS periods), sized by
// how many events it holds. Zooming in (or filtering) regroups, down to single events.
var GROUP_ABOVE = 5000;
// 60 periods: a marker (up to 30 px) per period stays apart on a 1,000 px chart; 200 drew three times the
// SVG markers on top of one another, and at 100,000 events Plotly's drawing was most of the time to chart.
var MAX_BINS = 60;
var HOUR = 3600000, DAY = 86400000;
var BINS = [HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY, 91 * DAY, 365 * DAY, 3652 * DAY];

var BAR = 0.11; // half the height of a period's bar, in lanes

/* The verdict index of the worst of ``verdicts`` (indices of ``styles``, whose ``rank`` is lower
   for worse), or ``none`` when there are none. */
function worstOf(verdicts, styles, none) {
  var best = none;
  for (var k = 0; k < verdicts.length; k++) {
    if (best === none || styles[verdicts[k]].rank < styles[best].rank) best = verdicts[k];
  }
  return best;
}

/* What event i's marker shows: ``v``, the worst verdict of its claims the filters leave in view
   (this.marks, set by the filters; all its claims when none is left out) and ``n``, how many. */
Timeline.prototype.mark = function (i) {
  var m = this.marks && this.marks[i];
  if (m) return m;
  var cv = this.ev.cv ? this.ev.cv[i] : null;
  return { v: this.ev.v[i], n: cv ? cv.length : 0 };
};

/* The hover's line on the marker's verdict: "Worst of 3 claims shown: Disputed". */
Timeline.prototype.markLine = function (m) {
  var label = text(this.styles[m.v].label);
  if (m.n > 1) return _("Worst of %(n)s claims shown: %(verdict)s", { n: numText(m.n), verdict: label });
  return m.n === 1 ? _("1 claim shown: %(verdict)s", { verdict: label }) : label;
};

function rgba(hex, alpha) {
  var n = parseInt(hex.slice(1), 16);
  return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + alpha + ")";
}

/* Lanes sit at y = 0, 1, 2, ... (named by the y axis' tick labels). Events are markers,
   one trace per verdict; the periods (dates, and times with an end) are bars drawn as one
   filled path per verdict, not one SVG element each: 10,000 events draw in about a second.
   More than GROUP_ABOVE events in view are drawn as groups (groupTraces). */
Timeline.prototype.traces = function (keep, zone, lanes) {
  var ev = this.ev, laneOf = {}, order = this.laneOrder = [], laneIds = [];
  var byCat = [], oneLane = []; // by category: a category's lane, and the one array [lane] its events share
  var xs = new Float64Array(keep.length);
  for (var n = 0; n < keep.length; n++) {
    var i = keep[n], names, own = [], lane;
    if (lanes !== "actor") {
      lane = byCat[ev.cat[i]];
      if (lane === undefined) { lane = byCat[ev.cat[i]] = order.length; order.push(ev.cats[ev.cat[i]]); oneLane.push([lane]); }
      laneIds.push(oneLane[lane]);
    } else {
      names = ev.act[i].length ? ev.act[i].map(function (a) { return ev.actors[a]; }) : [_("(no actor named)")];
      for (var k = 0; k < names.length; k++) {
        lane = laneOf[names[k]];
        if (lane === undefined) { lane = laneOf[names[k]] = order.length; order.push(names[k]); }
        own.push(lane);
      }
      laneIds.push(own);
    }
    var s = ev.s[i] * 1000 + this.shift(i, zone);
    xs[n] = ev.span[i] ? s + ev.d[i] * 500 : s;
  }
  var pick = [];
  if (this.view) { // a zoomed chart draws what is in view (and half a view either side)
    var w = this.view[1] - this.view[0], lo = this.view[0] - w / 2, hi = this.view[1] + w / 2;
    for (n = 0; n < keep.length; n++) if (xs[n] >= lo && xs[n] <= hi) pick.push(n);
  } else {
    for (n = 0; n < keep.length; n++) pick.push(n);
  }
  this.grouped = pick.length > GROUP_ABOVE;
  this.picked = this.grouped ? null : pick.map(function (n) { return keep[n]; });
  return this.grouped ? this.groupTraces(keep, xs, laneIds, pick) : this.eventTraces(keep, xs, laneIds, pick, zone);
};

Timeline.prototype.eventTraces = function (keep, xs, laneIds, pick, zone) {
  var ev = this.ev, self = this, groups = {};
  pick.forEach(function (n) {
    var i = keep[n], m = self.mark(i), g = groups[m.v];
    if (!g) g = groups[m.v] = { x: [], y: [], id: [], text: [], said: [], sx: [], sy: [] };
    var label = self.hover(i, zone), said = self.markLine(m), s = ev.s[i] * 1000 + self.shift(i, zone), e = s + ev.d[i] * 1000;
    laneIds[n].forEach(function (lane) {
      g.x.push(xs[n]); g.y.push(lane); g.id.push(ev.id[i]); g.text.push(label); g.said.push(said);
      if (ev.span[i]) {
        g.sx.push(s, e, e, s, null);
        g.sy.push(lane - BAR, lane - BAR, lane + BAR, lane + BAR, null);
      }
    });
  });
  // SVG (scatter): at most GROUP_ABOVE events are drawn one by one. WebGL would cost seconds of
  // shader set-up where it runs in software, and the plotly.js basic bundle has none.
  var out = [], spans = [], type = "scatter";
  this.styles.forEach(function (st, v) {
    var g = groups[v];
    if (!g) return;
    if (g.sx.length) {
      spans.push({ type: type, mode: "none", fill: "toself", x: g.sx, y: g.sy, hoverinfo: "skip",
        showlegend: false, legendgroup: "periods", fillcolor: rgba(st.colour, 0.3) });
    }
    out.push({ type: type, mode: "markers", name: st.label, x: g.x, y: g.y,
      customdata: g.id, text: g.text, hovertext: g.said,
      hovertemplate: "%{text}<br>%{hovertext}<extra>" + text(st.label) + "</extra>",
      // Open symbols are drawn by their outline; filled ones need none (a cheaper SVG point).
      marker: /-open$/.test(st.symbol) ?
        { color: st.colour, symbol: st.symbol, size: 13, line: { color: st.colour, width: 2 } } :
        { color: st.colour, symbol: st.symbol, size: 15, line: { width: 0 } } });
  });
  // The bars' own legend entry (clicking it hides or shows them all): drawn, not a marker.
  if (spans.length) {
    out.push({ type: type, mode: "lines", name: _("Period (a date or a span)"), x: [null], y: [null], legendgroup: "periods",
      hoverinfo: "skip", line: { color: "rgba(110,110,110,0.45)", width: 10 } });
  }
  return spans.concat(out);
};

/* One marker per lane, worst verdict and period, its area growing with its count of events. */
Timeline.prototype.groupTraces = function (keep, xs, laneIds, pick) {
  var lo = Infinity, hi = -Infinity;
  if (this.view) { lo = this.view[0]; hi = this.view[1]; } else {
    pick.forEach(function (n) { if (xs[n] < lo) lo = xs[n]; if (xs[n] > hi) hi = xs[n]; });
  }
  var width = BINS[BINS.length - 1];
  for (var b = 0; b < BINS.length; b++) if ((hi - lo) / BINS[b] <= MAX_BINS) { width = BINS[b]; break; }
  // Each cell under a number of its own (bin, lane and verdict in mixed radix), not a string.
  var cells = new Map(), nl = this.laneOrder.length, nv = this.styles.length;
  for (var p = 0; p < pick.length; p++) {
    var n = pick[p], bin = Math.floor(xs[n] / width), v = this.mark(keep[n]).v, own = laneIds[n];
    for (var k = 0; k < own.length; k++) {
      var key = (bin * nl + own[k]) * nv + v, cell = cells.get(key);
      if (!cell) cells.set(key, cell = [v, own[k], bin, 0]);
      cell[3]++;
    }
  }
  var list = [];
  cells.forEach(function (c) { list.push(c); });
  this.cellsKey = cellsKey(list, width, this.laneOrder);
  return this.cellTraces(list, width);
};

/* What a grouped chart shows, as one string: its period's width, its lanes and its cells
   ([verdict, lane, bin, count], in any order): a page whose groups were drawn before its data came
   (mount.js) draws them again only if the Timeline's differ. */
function cellsKey(cells, width, lanes) {
  return width + "|" + lanes.join("\u0001") + "|" + cells.map(function (c) { return c.join(","); }).sort().join(";");
}

/* The groups' markers: ``cells`` are [verdict, lane, bin, count] for bins of ``width`` ms (from
   groupTraces, or made when the site was built: timeline/publish/sitelist.py grouped_chart). */
Timeline.prototype.cellTraces = function (cells, width) {
  var most = 1, byVerdict = {};
  cells.forEach(function (c) { if (c[3] > most) most = c[3]; });
  cells.forEach(function (c) {
    var cell = { v: c[0], lane: c[1], bin: c[2], count: c[3] };
    var g = byVerdict[cell.v] || (byVerdict[cell.v] = { x: [], y: [], size: [], id: [], text: [] });
    var start = cell.bin * width, end = start + width;
    var when = width < DAY ? _("%(day)s, %(from)s to %(to)s", { day: dayLabel(start),
      from: localDigits(pad(new Date(start).getUTCHours()) + ":00"), to: localDigits(pad(new Date(end).getUTCHours()) + ":00") }) :
      width === DAY ? dayLabel(start) : _("%(from)s to %(to)s", { from: dayLabel(start), to: dayLabel(end - 1) });
    g.x.push(start + width / 2); g.y.push(cell.lane);
    g.size.push(8 + 22 * Math.sqrt(cell.count / most));
    g.id.push("group:" + start + ":" + width);
    g.text.push(ngettext("%(num)s event", "%(num)s events", cell.count, { num: num(cell.count) }) + "<br>" + when);
  });
  var out = [];
  this.styles.forEach(function (st, v) {
    var g = byVerdict[v];
    if (!g) return;
    out.push({ type: "scatter", mode: "markers", name: st.label, x: g.x, y: g.y, customdata: g.id,
      text: g.text, hovertemplate: "%{text}<br>" + text(_("Click to list them")) + "<extra>" + text(st.label) + "</extra>",
      marker: { color: rgba(st.colour, 0.75), symbol: st.symbol.replace(/-open$/, ""), size: g.size,
        line: { color: st.colour, width: 1 } } });
  });
  return out;
};

/* The initial x range, by the rule of timeline/figure.py focus_range (its numbers come with
   the data): if a few late events (a report months later) would squeeze the story into a
   corner, open on the dense period; "Show the whole period" widens it. */
Timeline.prototype.focusRange = function (traces) {
  var f = this.focus, xs = [];
  traces.forEach(function (t) { if (t.mode === "markers") xs = xs.concat(t.x); });
  if (!f || xs.length < f.min_events) return null;
  xs.sort(function (a, b) { return a - b; });
  var lo = xs[0], hi = xs[xs.length - 1], p = xs[Math.floor(f.quantile * (xs.length - 1))];
  if (hi - lo < f.spread * (p - lo) || p === lo) return null;
  var pad = Math.max(f.min_pad_ms, (p - lo) * f.pad);
  return [lo - pad, p + pad];
};

Timeline.prototype.layout = function (traces, zone) {
  var n = Math.max(this.laneOrder.length, 1);
  var range = this.view || this.focusRange(traces);
  var narrow = (this.chart.clientWidth || 1000) < 500; // a phone
  var title = zoneTitle(zone, narrow);
  var rtl = LANG.reversed;
  var xaxis = { type: "date", range: range ? (rtl ? [range[1], range[0]] : range) : undefined,
    autorange: range ? false : (rtl ? "reversed" : true), title: { text: title } };
  this.localTicks(xaxis, range || this.dataRange(traces));
  var layout = {
    xaxis: xaxis,
    // The lanes' names get a margin of their measured width, not plotly.js' automargin: that
    // draws the chart a second time whenever the widest name changes (a filter on one lane and
    // back: 145 of 520 ms at 100,000 events).
    yaxis: { type: "linear", range: [n - 0.5, -0.5], automargin: false, zeroline: false,
      tickmode: "array", tickvals: this.laneOrder.map(function (_l, k) { return k; }), ticktext: this.laneOrder.slice() },
    // On a phone the legend wraps: its title on a line of its own (beside the entries it pushed
    // them off the chart's edge), the whole lower so as to clear the axis' title.
    legend: { title: { text: _("Worst verdict"), side: narrow ? "top" : undefined },
      orientation: "h", y: narrow ? (rtl ? -0.6 : -0.4) : (rtl ? -0.3 : -0.25) },
    margin: { l: 16 + this.labelWidth(this.laneOrder), r: 10, t: 10, b: 10 }, height: Math.max(320, 46 * n + 160),
    hovermode: "closest", dragmode: "zoom", font: { family: "system-ui, sans-serif" }
  };
  if (rtl) { // the lanes' names and the legend on the right, where a right-to-left reader starts
    layout.yaxis.side = "right";
    layout.margin.r = layout.margin.l; layout.margin.l = 10;
    // The legend mirrored too: its title above its right end; in one row (not a phone's column
    // of entries), the first verdict rightmost.
    layout.legend.x = 1; layout.legend.xanchor = "right"; layout.legend.title.side = "top right";
    if (!narrow) layout.legend.traceorder = "reversed";
  }
  return layout;
};

/* The width in pixels of the widest of ``names`` in the chart's tick font (12 px). */
Timeline.prototype.labelWidth = function (names) {
  var canvas = this.canvas || (this.canvas = document.createElement("canvas"));
  var ctx = canvas.getContext && canvas.getContext("2d"), most = 0;
  if (!ctx) return 120;
  ctx.font = "12px system-ui, sans-serif";
  names.forEach(function (s) { most = Math.max(most, ctx.measureText(String(s)).width); });
  return Math.ceil(most);
};

/* The x range the events of ``traces`` cover (ms), for the ticks of an autoranged axis. */
Timeline.prototype.dataRange = function (traces) {
  var lo = Infinity, hi = -Infinity;
  traces.forEach(function (t) {
    for (var k = 0; k < t.x.length; k++) {
      var x = t.x[k];
      if (x === null) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  });
  if (lo > hi) return null;
  var pad = Math.max((hi - lo) * 0.05, DAY);
  return [lo - pad, hi + pad];
};

/* A page in another language than English: the axis' ticks on its calendar's months, named as
   it writes them (timeline/views/chart_language.py axis_ticks hands them over; plotly.js' own ticks
   are English and Gregorian). */
Timeline.prototype.localTicks = function (xaxis, range) {
  var t = LANG.ticks;
  if (!t || !range) return;
  var picked = pickTicks(t, Math.min(range[0], range[1]), Math.max(range[0], range[1]),
    Math.max(2, Math.floor((this.chart.clientWidth || 1000) / 110)));
  xaxis.tickmode = "array"; xaxis.tickvals = picked.vals; xaxis.ticktext = picked.text;
};

/* Draw the chart for the events kept by the filters (this.keep). Returns Plotly's promise. */
Timeline.prototype.draw = function () {
  var c = this.controls || {};
  var zone = c.zone ? c.zone.value : "own";
  var lanes = c.lanes ? c.lanes.value : "category";
  var traces = this.traces(this.keep || this.all, zone, lanes);
  var self = this, seq = ++this.drawSeq;
  // Single events in view whose titles (for the hover) the page has yet to fetch: those first.
  var titles = this.grouped ? [] : this.titlesWanted(this.picked);
  if (titles.length) {
    return this.loadTitles(titles).then(function () { return seq === self.drawSeq ? self.draw() : null; });
  }
  var layout = this.layout(traces, zone);
  var all = $(this.root, "#tl-show-all");
  if (all) {
    all.hidden = !layout.xaxis.range;
    if (!all.bound) {
      all.bound = true;
      all.addEventListener("click", function () {
        window.Plotly.relayout(self.chart, { "xaxis.autorange": LANG.reversed ? "reversed" : true });
        all.hidden = true;
      });
    }
  }
  var note = $(this.root, "#tl-group-note");
  if (note) note.hidden = !this.grouped;
  // The groups drawn before the data came are the ones to draw: they stay as they are.
  var same = this.predrawn !== null && this.grouped && zone === "own" && this.predrawn === this.cellsKey;
  this.predrawn = null;
  this.drawing = true;
  var done = same ? Promise.resolve() :
    Promise.resolve(window.Plotly.react(this.chart, traces, layout, this.plotConfig()));
  done.then(function () { self.drawing = false; self.describe(lanes); }, function () { self.drawing = false; });
  if (!this.bound) {
    this.bound = true;
    this.chart.on("plotly_click", function (ev) {
      if (!ev || !ev.points || !ev.points.length) return;
      var id = ev.points[0].customdata;
      if (typeof id === "string" && id.indexOf("group:") === 0) self.openGroup(id);
      else self.select(id, true);
    });
    // A long story regroups its markers for the range in view after a zoom or a pan.
    this.chart.on("plotly_relayout", function (e) { self.relayout(e || {}); });
  }
  return done;
};

/* What assistive technology hears of the chart: its name, one sentence on the data in view
   (how many events, from when to when, the lanes, the markers' verdicts), not the SVG's tick
   labels, which are hidden from it (the list after the chart holds the same events). */
Timeline.prototype.summary = function (lanes) {
  var keep = this.keep || this.all, ev = this.ev, self = this;
  if (!keep.length) return _("Timeline chart: no event matches the filters.");
  var lo = Infinity, hi = -Infinity, byVerdict = {};
  keep.forEach(function (i) {
    if (ev.s[i] < lo) lo = ev.s[i];
    if (ev.s[i] > hi) hi = ev.s[i];
    var v = self.mark(i).v;
    byVerdict[v] = (byVerdict[v] || 0) + 1;
  });
  var parts = [];
  this.styles.forEach(function (st, v) {
    if (byVerdict[v]) {
      parts.push(_("%(count)s %(verdict)s", { count: numText(byVerdict[v]), verdict: localised() ? st.label : st.label.toLowerCase() }));
    }
  });
  var n = this.laneOrder ? this.laneOrder.length : 0;
  var when = dayLabel(lo * 1000) === dayLabel(hi * 1000) ? _("on %(day)s", { day: dayLabel(lo * 1000) }) :
    _("from %(from)s to %(to)s", { from: dayLabel(lo * 1000), to: dayLabel(hi * 1000) });
  var values = { events: ngettext("%(num)s event", "%(num)s events", keep.length, { num: numText(keep.length) }),
    when: when, lanes: ngettext("%(num)s lane", "%(num)s lanes", n, { num: numText(n) }), verdicts: parts.join(_(", ")) };
  return lanes === "actor" ?
    _("Timeline chart of %(events)s %(when)s, in %(lanes)s by actor; markers by worst verdict: %(verdicts)s.", values) :
    _("Timeline chart of %(events)s %(when)s, in %(lanes)s by category; markers by worst verdict: %(verdicts)s.", values);
};

Timeline.prototype.describe = function (lanes) {
  this.chart.setAttribute("aria-label", this.summary(lanes));
  var svgs = this.chart.querySelectorAll("svg");
  for (var k = 0; k < svgs.length; k++) svgs[k].setAttribute("aria-hidden", "true");
  var bar = LANG.reversed && this.chart.querySelector(".modebar");
  if (bar) { bar.style.left = "2px"; bar.style.right = "auto"; } // the toolbar where the axis starts
};

/* Plotly's config: the page's (figure.py PLOTLY_CONFIG: no button that uploads the chart), sized
   with the page; on a phone no toolbar at all (it would cover the top lane). */
Timeline.prototype.plotConfig = function () {
  var phone = window.matchMedia && window.matchMedia("(max-width: 599px)").matches;
  var config = { responsive: true, displaylogo: false, showSendToCloud: false, showEditInChartStudio: false, showLink: false };
  for (var k in this.config) config[k] = this.config[k];
  if (phone) config.displayModeBar = false;
  if (localised() && plotlyLocale()) config.locale = LANG.tag;
  return config;
};

/* plotly.js' own words (the toolbar's buttons, its hints) in the story's language: registered
   once as a plotly.js locale named by the story's tag. */
var LOCALE_DONE = null;
function plotlyLocale() {
  if (LOCALE_DONE !== null) return LOCALE_DONE;
  LOCALE_DONE = false;
  if (!window.Plotly || !window.Plotly.register) return false;
  window.Plotly.register({ moduleType: "locale", name: LANG.tag, dictionary: {
    "Zoom": _("Zoom"), "Pan": _("Pan"), "Zoom in": _("Zoom in"), "Zoom out": _("Zoom out"),
    "Reset axes": _("Reset axes"), "Download plot as a PNG": _("Download plot as a PNG"),
    "Download plot": _("Download plot"),
    "Double-click on legend to isolate one trace": _("Double-click on legend to isolate one trace"),
    "Double-click to zoom back out": _("Double-click to zoom back out")
  } });
  LOCALE_DONE = true;
  return true;
}

function rangeMs(v) {
  return typeof v === "number" ? v : Date.parse(String(v).replace(" ", "T") + (/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? "" : "Z"));
}

Timeline.prototype.relayout = function (e) {
  if (LANG.ticks && !this.drawing && !e["xaxis.tickvals"]) this.retick(e);
  if (this.drawing || (this.keep || this.all).length <= GROUP_ABOVE) return;
  var r0 = e["xaxis.range[0]"], r1 = e["xaxis.range[1]"];
  if (e["xaxis.range"]) { r0 = e["xaxis.range"][0]; r1 = e["xaxis.range"][1]; }
  if (r0 !== undefined && r1 !== undefined) {
    r0 = rangeMs(r0); r1 = rangeMs(r1); // a right-to-left axis gives its range from the right
    this.view = [Math.min(r0, r1), Math.max(r0, r1)];
  }
  else if (e["xaxis.autorange"]) this.view = null;
  else return;
  var self = this;
  clearTimeout(this.regroup);
  this.regroup = setTimeout(function () { self.draw(); }, 80);
};

/* The language's ticks for the range in view after a zoom or a pan (plotly.js would otherwise
   keep the ticks of the range drawn first). */
Timeline.prototype.retick = function (e) {
  var full = this.chart._fullLayout, axis = full && full.xaxis;
  if (!axis || !axis.range || (e["xaxis.range[0]"] === undefined && !e["xaxis.range"] && !e["xaxis.autorange"])) return;
  var xaxis = {};
  this.localTicks(xaxis, [rangeMs(axis.range[0]), rangeMs(axis.range[1])]);
  if (xaxis.tickvals) window.Plotly.relayout(this.chart, { "xaxis.tickvals": xaxis.tickvals, "xaxis.ticktext": xaxis.ticktext });
};

/* A group's marker was clicked: filter the dates to its period (the list shows its events). */
Timeline.prototype.openGroup = function (key) {
  var parts = key.split(":"), start = Number(parts[1]), end = start + Number(parts[2]) - 1;
  var c = this.controls || {};
  if (!c.from || !c.to) return;
  c.from.value = new Date(start).toISOString().slice(0, 10);
  c.to.value = new Date(end).toISOString().slice(0, 10);
  this.changed();
};
