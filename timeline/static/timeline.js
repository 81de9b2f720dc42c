/* timeline.js: the chart, filters, search, time zones and card selection of a timeline page.
 *
 * Reads the JSON in #tl-data (see figure.chart_data) and the server-rendered list (#tl-list);
 * needs window.Plotly. Works the same in the Voila dashboard and the static snapshot: no
 * kernel is ever called.
 *
 * It draws the chart as soon as it runs, from #tl-data alone: a page may run it while the
 * rest of a long list is still being parsed (render.SCRIPTS_MARKER). The list, the filters
 * and deep links are taken up once the document is parsed (DOMContentLoaded); then
 * <html data-timeline-ready> is set. It mounts again if #timeline-app appears later.
 */
(function () {
  "use strict";
  // Above this many markers, draw with WebGL (Scattergl). SVG draws 10,000 markers in under a
  // second; WebGL costs seconds of shader set-up where it runs in software (headless, no GPU).
  var GL_THRESHOLD = 15000;
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var BAR = 0.11; // half the height of a period's bar, in lanes
  var ZONE_TITLES = { own: "Time as reported (each event's local clock)", utc: "UTC", london: "London time" };

  function text(s) {
    return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function $(root, sel) { return root.querySelector(sel); }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function offsetLabel(m) {
    var a = Math.abs(m);
    return "UTC" + (m < 0 ? "-" : "+") + pad(Math.floor(a / 60)) + ":" + pad(a % 60);
  }
  var gl = null;
  function glAvailable() { // partial plotly.js bundles (plotly-basic) have no scattergl
    if (gl === null) gl = !window.Plotly.validate([{ type: "scattergl", x: [0], y: [0] }], {});
    return gl;
  }
  function whenParsed(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function Timeline(root) {
    this.root = root;
    var data = JSON.parse($(root, "#tl-data").textContent);
    var ev = this.ev = data.events;
    this.n = ev.id.length;
    this.styles = data.verdicts;
    this.chart = $(root, "#tl-chart");
    this.labels = {}; // zone -> [hover label per event], made on first use
    this.items = null; // id -> {li, i, claims}, once the list is parsed
    this.pos = {};
    for (var i = 0; i < this.n; i++) this.pos[ev.id[i]] = i;
    this.all = [];
    for (i = 0; i < this.n; i++) this.all.push(i);
  }

  /* How event i's start reads in a zone (as timeline/figure.py date_labels writes it). */
  Timeline.prototype.dateLabel = function (i, zone) {
    var ev = this.ev, p = ev.p[i], ms = ev.s[i] * 1000, shift = 0;
    if (p >= 3 && zone !== "utc") shift = (zone === "own" ? ev.own[i] : ev.london[i]) || 0;
    var d = new Date(ms + shift * 60000), y = d.getUTCFullYear();
    if (p === 0) return String(y);
    if (p === 1) return MONTHS[d.getUTCMonth()] + " " + y;
    var day = DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
    if (p === 2) return day;
    var clock = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (p === 4 ? ":" + pad(d.getUTCSeconds()) : "");
    var tag = zone === "utc" ? "UTC" : zone === "own" ? offsetLabel(ev.own[i] || 0) : "London, " + (ev.london[i] ? "BST" : "GMT");
    return day + ", " + clock + " (" + tag + ")";
  };

  Timeline.prototype.hover = function (zone) {
    var out = this.labels[zone];
    if (out) return out;
    out = this.labels[zone] = [];
    var ev = this.ev;
    for (var i = 0; i < this.n; i++) {
      var dd = ev.dd[i], when = text(this.dateLabel(i, zone));
      var label = dd ? (ev.p[i] >= 3 ? text(dd) + "<br>" + when : text(dd)) : when;
      out.push(label + "<br><b>" + text(ev.title[i]) + "</b>");
    }
    return out;
  };

  /* Once the whole list is parsed: find its items, wire the controls, show them. */
  Timeline.prototype.attach = function () {
    var root = this.root, self = this;
    this.list = $(root, "#tl-list");
    this.items = {};
    this.totalClaims = 0;
    var lis = this.list ? this.list.children : [];
    for (var k = 0; k < lis.length; k++) {
      var li = lis[k];
      if (li.tagName !== "LI" || li.id.slice(0, 6) !== "event-") continue;
      var id = li.id.slice(6), claims = [], cl = li.getElementsByClassName("tl-claim");
      for (var j = 0; j < cl.length; j++) claims.push({ li: cl[j], verdict: cl[j].getAttribute("data-verdict"), text: null });
      this.totalClaims += claims.length;
      this.items[id] = { li: li, i: this.pos[id], claims: claims, text: null };
    }
    var c = this.controls = {
      category: $(root, "#tl-filter-category"), actor: $(root, "#tl-filter-actor"),
      verdict: $(root, "#tl-filter-verdict"), search: $(root, "#tl-search"),
      from: $(root, "#tl-from"), to: $(root, "#tl-to"), zone: $(root, "#tl-zone"), lanes: $(root, "#tl-lanes")
    };
    ["category", "actor", "verdict", "from", "to", "zone", "lanes"].forEach(function (k) {
      if (c[k]) c[k].addEventListener("change", function () { self.update(); });
    });
    if (c.search) {
      var t = null;
      c.search.addEventListener("input", function () {
        clearTimeout(t); t = setTimeout(function () { self.update(); }, 120);
      });
    }
    var form = $(root, "#tl-filters");
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });
    [$(root, "#tl-clear"), $(root, "#tl-empty-clear")].forEach(function (b) {
      if (b) b.addEventListener("click", function () { self.clear(); });
    });
    if (this.list) {
      this.list.addEventListener("click", function (e) {
        var a = e.target.closest ? e.target.closest("li.tl-event > h3 > a") : null;
        if (a) self.select(a.parentNode.parentNode.id.slice(6), false);
      });
    }
    var section = $(root, ".tl-controls");
    if (section) section.hidden = false;
    window.addEventListener("hashchange", function () { self.followHash(); });
    // The page may have changed a control before this ran (restored form state).
    if (this.filtering() || (c.zone && c.zone.value !== "own") || (c.lanes && c.lanes.value !== "category")) {
      return this.update();
    }
    this.count(this.n, this.totalClaims);
    return null;
  };

  Timeline.prototype.filtering = function () {
    var c = this.controls;
    return !!((c.category && c.category.value) || (c.actor && c.actor.value) || (c.verdict && c.verdict.value) ||
      (c.search && c.search.value.trim()) || (c.from && c.from.value) || (c.to && c.to.value));
  };

  Timeline.prototype.clear = function () {
    var c = this.controls;
    ["category", "actor", "verdict", "search", "from", "to"].forEach(function (k) { if (c[k]) c[k].value = ""; });
    return this.update();
  };

  /* Search text, made on the first search: an event's card without its claims, and each claim. */
  Timeline.prototype.texts = function (item) {
    if (item.text !== null) return;
    var parts = [], kids = item.li.children;
    for (var k = 0; k < kids.length; k++) {
      if (!kids[k].classList.contains("tl-claims")) parts.push(kids[k].textContent);
    }
    item.text = parts.join(" ").toLowerCase();
    item.claims.forEach(function (c) { c.text = c.li.textContent.toLowerCase(); });
  };

  /* Which events (indices) and claims pass the filters; hides the rest of the list. */
  Timeline.prototype.filter = function () {
    var c = this.controls, ev = this.ev, self = this;
    var cat = c.category ? c.category.value : "", actor = c.actor ? c.actor.value : "";
    var actorIdx = actor ? ev.actors.indexOf(actor) : -1;
    var verdict = c.verdict ? c.verdict.value : "";
    var q = c.search ? c.search.value.trim().toLowerCase() : "";
    var terms = q ? q.split(/\s+/) : [];
    var from = c.from && c.from.value ? Date.parse(c.from.value + "T00:00:00Z") : null;
    var to = c.to && c.to.value ? Date.parse(c.to.value + "T00:00:00Z") + 86400000 : null;
    var keep = [], claimsShown = 0;
    // Take the list out of layout while its items are shown and hidden: hiding thousands of
    // content-visibility:auto items one by one in a laid-out list costs seconds (quadratic).
    var list = this.list, y = window.scrollY;
    if (list) {
      list.style.display = "none";
      void list.offsetHeight; // apply it now, before the items change
    }
    function has(hay) { return terms.every(function (t) { return hay.indexOf(t) >= 0; }); }
    for (var i = 0; i < this.n; i++) {
      var item = this.items[ev.id[i]];
      var s = ev.s[i] * 1000, e = s + ev.d[i] * 1000;
      var ok = (!cat || ev.cats[ev.cat[i]] === cat) && (!actor || ev.act[i].indexOf(actorIdx) >= 0);
      if (ok && from !== null && e <= from) ok = false;
      if (ok && to !== null && s >= to) ok = false;
      var shown = null; // indices of the claims shown; null: all
      if (ok && item) {
        var claims = item.claims;
        if (verdict) {
          shown = [];
          for (var j = 0; j < claims.length; j++) if (claims[j].verdict === verdict) shown.push(j);
          if (!shown.length) ok = false;
        }
        if (ok && terms.length) {
          self.texts(item);
          if (!has(item.text)) {
            shown = (shown || claims.map(function (_, j) { return j; })).filter(function (j) { return has(claims[j].text); });
            if (!shown.length) ok = false;
          }
        }
      }
      if (item) {
        if (item.li.hidden !== !ok) item.li.hidden = !ok;
        var set = null;
        if (shown) { set = {}; shown.forEach(function (j) { set[j] = true; }); }
        for (var k = 0; k < item.claims.length; k++) {
          var hide = !(ok && (!set || set[k]));
          if (item.claims[k].li.hidden !== hide) item.claims[k].li.hidden = hide;
        }
      }
      if (ok) { keep.push(i); claimsShown += item ? (shown ? shown.length : item.claims.length) : 0; }
    }
    if (list) {
      list.style.display = "";
      if (window.scrollY !== y) window.scrollTo(window.scrollX, y);
    }
    return { keep: keep, claims: claimsShown };
  };

  Timeline.prototype.shift = function (i, zone) {
    if (zone === "utc") return 0;
    var m = zone === "own" ? this.ev.own[i] : this.ev.london[i];
    return m == null ? 0 : m * 60000;
  };

  /* Lanes sit at y = 0, 1, 2, ... (named by the y axis' tick labels). Events are markers,
     one trace per verdict; the periods (dates, and times with an end) are bars drawn as one
     filled path per verdict, not one SVG element each: 10,000 events draw in about a second. */
  Timeline.prototype.traces = function (keep, zone, lanes) {
    var ev = this.ev, self = this, groups = {}, laneOf = {}, hover = this.hover(zone);
    this.laneOrder = [];
    var useGl = keep.length > GL_THRESHOLD && glAvailable();
    keep.forEach(function (i) {
      var laneList;
      if (lanes === "actor") {
        laneList = ev.act[i].length ? ev.act[i].map(function (a) { return ev.actors[a]; }) : ["(no actor named)"];
      } else {
        laneList = [ev.cats[ev.cat[i]]];
      }
      var g = groups[ev.v[i]];
      if (!g) g = groups[ev.v[i]] = { x: [], y: [], id: [], text: [], sx: [], sy: [] };
      var d = self.shift(i, zone), s = ev.s[i] * 1000 + d, e = s + ev.d[i] * 1000;
      var x = ev.span[i] ? (s + e) / 2 : s;
      for (var k = 0; k < laneList.length; k++) {
        var lane = laneOf[laneList[k]];
        if (lane === undefined) { lane = laneOf[laneList[k]] = self.laneOrder.length; self.laneOrder.push(laneList[k]); }
        g.x.push(x); g.y.push(lane); g.id.push(ev.id[i]); g.text.push(hover[i]);
        if (ev.span[i]) {
          g.sx.push(s, e, e, s, null);
          g.sy.push(lane - BAR, lane - BAR, lane + BAR, lane + BAR, null);
        }
      }
    });
    var out = [], spans = [], type = useGl ? "scattergl" : "scatter";
    this.styles.forEach(function (st, v) {
      var g = groups[v];
      if (!g) return;
      if (g.sx.length) {
        spans.push({ type: type, mode: "none", fill: "toself", x: g.sx, y: g.sy, hoverinfo: "skip",
          showlegend: false, fillcolor: rgba(st.colour, 0.3) });
      }
      out.push({ type: type, mode: "markers", name: st.label, x: g.x, y: g.y,
        customdata: g.id, text: g.text, hovertemplate: "%{text}<extra>" + text(st.label) + "</extra>",
        // Open symbols are drawn by their outline; filled ones need none (a cheaper SVG point).
        marker: /-open$/.test(st.symbol) ?
          { color: st.colour, symbol: st.symbol, size: 13, line: { color: st.colour, width: 2 } } :
          { color: st.colour, symbol: st.symbol, size: 15, line: { width: 0 } } });
    });
    return spans.concat(out);
  };

  /* The initial x range: if a few late events (a report months later) would squeeze the
     story into a corner, open on the middle 90% of it; the range slider shows the rest. */
  Timeline.prototype.focusRange = function (traces) {
    var xs = [];
    traces.forEach(function (t) { if (t.mode === "markers") xs = xs.concat(t.x); });
    if (xs.length < 5) return null;
    xs.sort(function (a, b) { return a - b; });
    var lo = xs[0], hi = xs[xs.length - 1], p90 = xs[Math.floor(0.9 * (xs.length - 1))];
    if (hi - lo < 3 * (p90 - lo) || p90 === lo) return null;
    var pad = Math.max(86400000, (p90 - lo) * 0.05);
    return [lo - pad, p90 + pad];
  };

  Timeline.prototype.layout = function (traces, zone) {
    var n = Math.max(this.laneOrder.length, 1);
    var range = this.focusRange(traces);
    return {
      xaxis: { type: "date", range: range || undefined, autorange: !range, title: { text: ZONE_TITLES[zone] } },
      yaxis: { type: "linear", range: [n - 0.5, -0.5], automargin: true, zeroline: false,
        tickmode: "array", tickvals: this.laneOrder.map(function (_, k) { return k; }), ticktext: this.laneOrder.slice() },
      legend: { title: { text: "Worst verdict" }, orientation: "h", y: -0.25 },
      margin: { l: 10, r: 10, t: 10, b: 10 }, height: Math.max(320, 46 * n + 160),
      hovermode: "closest", dragmode: "zoom", font: { family: "system-ui, sans-serif" }
    };
  };

  Timeline.prototype.count = function (events, claims) {
    var count = $(this.root, "#tl-count");
    if (count) {
      count.textContent = events + " of " + this.n + " events, " + claims + " of " + this.totalClaims + " claims";
    }
    var empty = $(this.root, "#tl-empty");
    if (empty) empty.hidden = events > 0;
  };

  /* Filter the list (once it is parsed), then redraw the chart. Returns Plotly's promise. */
  Timeline.prototype.update = function () {
    var c = this.controls || {};
    var zone = c.zone ? c.zone.value : "own";
    var lanes = c.lanes ? c.lanes.value : "category";
    var keep = this.all;
    if (this.items) {
      var r = this.filter();
      keep = r.keep;
      this.count(keep.length, r.claims);
      this.updateZone(zone);
    }
    var traces = this.traces(keep, zone, lanes);
    var self = this;
    var layout = this.layout(traces, zone);
    var all = $(this.root, "#tl-show-all");
    if (all) {
      all.hidden = !layout.xaxis.range;
      if (!all.bound) {
        all.bound = true;
        all.addEventListener("click", function () {
          window.Plotly.relayout(self.chart, { "xaxis.autorange": true });
          all.hidden = true;
        });
      }
    }
    var done = window.Plotly.react(this.chart, traces, layout,
      { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] });
    if (!this.bound) {
      this.bound = true;
      this.chart.on("plotly_click", function (ev) {
        if (ev && ev.points && ev.points.length) self.select(ev.points[0].customdata, true);
      });
    }
    return done;
  };

  /* Times in the list follow the zone control (dates alone never change). */
  Timeline.prototype.updateZone = function (zone) {
    if (zone === (this.zone || "own")) return;
    this.zone = zone;
    for (var id in this.items) {
      var item = this.items[id], i = item.i;
      if (i === undefined || this.ev.p[i] < 3) continue;
      var t = item.li.querySelector(".tl-date time");
      if (t) t.textContent = this.dateLabel(i, zone);
    }
  };

  Timeline.prototype.select = function (id, scroll) {
    var item = this.items && this.items[id];
    if (!item) return;
    var panel = $(this.root, "#tl-selected");
    var prev = this.root.querySelectorAll(".tl-highlight");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("tl-highlight");
    item.li.classList.add("tl-highlight");
    if (panel) {
      var card = document.createElement("article");
      card.setAttribute("aria-label", "Selected event");
      var kids = item.li.children;
      for (i = 0; i < kids.length; i++) card.appendChild(kids[i].cloneNode(true));
      var ids = card.querySelectorAll("[id]");
      for (i = 0; i < ids.length; i++) ids[i].removeAttribute("id");
      var hidden = card.querySelectorAll("[hidden]");
      for (i = 0; i < hidden.length; i++) hidden[i].hidden = false;
      panel.innerHTML = "";
      var close = document.createElement("button");
      close.type = "button"; close.className = "tl-close"; close.textContent = "Close";
      close.addEventListener("click", function () { panel.hidden = true; panel.innerHTML = ""; });
      panel.appendChild(close);
      panel.appendChild(card);
      panel.hidden = false;
      panel.setAttribute("data-event", id);
      if (scroll && panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
    }
  };

  Timeline.prototype.followHash = function () {
    var h = decodeURIComponent((location.hash || "").slice(1));
    if (!h) return;
    var el = document.getElementById(h);
    if (!el || !this.root.contains(el)) return;
    if (el.hidden || (el.closest && el.closest("li.tl-event[hidden]"))) this.clear();
    var prev = this.root.querySelectorAll(".tl-highlight");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("tl-highlight");
    el.classList.add("tl-highlight");
    if (h.indexOf("event-") === 0) this.select(h.slice(6), false);
    el.scrollIntoView({ block: "start" });
  };

  function mount(root) {
    if (root.getAttribute("data-mounted")) return;
    root.setAttribute("data-mounted", "1");
    if (!window.Plotly) { root.setAttribute("data-error", "plotly.js is missing"); return; }
    var tl = new Timeline(root);
    root.timeline = tl;
    var fallback = root.querySelector(".tl-chart-fallback");
    if (fallback) fallback.parentNode.removeChild(fallback);
    var drawn = Promise.resolve(tl.update()); // the chart first, from #tl-data alone
    whenParsed(function () {
      var again = tl.attach();
      Promise.all([drawn, again]).then(function () {
        tl.followHash();
        document.documentElement.setAttribute("data-timeline-ready", "1");
      });
    });
  }

  function mountAll() {
    var root = document.getElementById("timeline-app");
    // #tl-list follows #tl-data: once it is there, the data block is whole.
    if (root && root.querySelector("#tl-data") && root.querySelector("#tl-list")) { mount(root); return true; }
    return false;
  }

  if (!mountAll()) {
    whenParsed(mountAll);
    if (window.MutationObserver) { // Voila and notebooks may add the story after this script
      var obs = new MutationObserver(function () { if (mountAll()) obs.disconnect(); });
      obs.observe(document.documentElement, { childList: true, subtree: true });
    }
  }
  window.timelineMount = mountAll;
})();
