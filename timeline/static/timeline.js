/* timeline.js: the chart, filters, search, time zones and card selection of a timeline page.
 *
 * Reads the JSON in #tl-data and the server-rendered list (#tl-list); needs window.Plotly.
 * Works the same in the Voila dashboard and the static snapshot: no kernel is ever called.
 * Mounts on DOMContentLoaded, and again if #timeline-app appears later (Voila renders outputs late).
 */
(function () {
  "use strict";
  var GL_THRESHOLD = 3000; // above this many markers, draw with WebGL (Scattergl)

  function text(s) {
    return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function $(root, sel) { return root.querySelector(sel); }

  function Timeline(root) {
    this.root = root;
    var data = JSON.parse($(root, "#tl-data").textContent);
    this.ev = data.events;
    this.styles = data.verdicts;
    this.styleByKey = {};
    for (var i = 0; i < this.styles.length; i++) this.styleByKey[this.styles[i].key] = this.styles[i];
    this.chart = $(root, "#tl-chart");
    this.list = $(root, "#tl-list");
    this.items = {}; // id -> {li, text, claims: [{li, verdict, text}]}
    var lis = this.list.querySelectorAll("li.tl-event");
    this.totalClaims = 0;
    for (i = 0; i < lis.length; i++) {
      var li = lis[i];
      var cl = li.querySelectorAll("li.tl-claim");
      var claims = [];
      for (var j = 0; j < cl.length; j++) {
        claims.push({ li: cl[j], verdict: cl[j].getAttribute("data-verdict"), text: cl[j].textContent.toLowerCase() });
      }
      this.totalClaims += claims.length;
      var head = li.cloneNode(true);
      var hc = head.querySelector(".tl-claims");
      if (hc) hc.parentNode.removeChild(hc);
      this.items[li.id.slice(6)] = { li: li, text: head.textContent.toLowerCase(), claims: claims };
    }
    this.controls = {
      category: $(root, "#tl-filter-category"), actor: $(root, "#tl-filter-actor"),
      verdict: $(root, "#tl-filter-verdict"), search: $(root, "#tl-search"),
      from: $(root, "#tl-from"), to: $(root, "#tl-to"), zone: $(root, "#tl-zone"), lanes: $(root, "#tl-lanes")
    };
    var section = $(root, ".tl-controls");
    if (section) section.hidden = false;
    var self = this;
    ["category", "actor", "verdict", "from", "to", "zone", "lanes"].forEach(function (k) {
      if (self.controls[k]) self.controls[k].addEventListener("change", function () { self.update(); });
    });
    if (this.controls.search) {
      var t = null;
      this.controls.search.addEventListener("input", function () {
        clearTimeout(t); t = setTimeout(function () { self.update(); }, 120);
      });
    }
    [$(root, "#tl-clear"), $(root, "#tl-empty-clear")].forEach(function (b) {
      if (b) b.addEventListener("click", function () { self.clear(); });
    });
    this.list.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a.tl-anchor") : null;
      if (a) { var li = a.closest("li.tl-event"); if (li) self.select(li.id.slice(6), false); }
    });
    window.addEventListener("hashchange", function () { self.followHash(); });
  }

  Timeline.prototype.clear = function () {
    var c = this.controls;
    ["category", "actor", "verdict"].forEach(function (k) { if (c[k]) c[k].value = ""; });
    if (c.search) c.search.value = "";
    if (c.from) c.from.value = "";
    if (c.to) c.to.value = "";
    this.update();
  };

  /* Which events (indices) and claims pass the filters. */
  Timeline.prototype.filter = function () {
    var c = this.controls, ev = this.ev;
    var cat = c.category ? c.category.value : "", actor = c.actor ? c.actor.value : "";
    var verdict = c.verdict ? c.verdict.value : "";
    var q = c.search ? c.search.value.trim().toLowerCase() : "";
    var terms = q ? q.split(/\s+/) : [];
    var from = c.from && c.from.value ? Date.parse(c.from.value + "T00:00:00Z") : null;
    var to = c.to && c.to.value ? Date.parse(c.to.value + "T00:00:00Z") + 86400000 : null;
    var keep = [], claimsShown = 0;
    for (var i = 0; i < ev.id.length; i++) {
      var id = ev.id[i], item = this.items[id];
      var ok = (!cat || ev.cat[i] === cat) && (!actor || ev.actors[i].indexOf(actor) >= 0);
      if (ok && from !== null && ev.e[i] <= from) ok = false;
      if (ok && to !== null && ev.s[i] >= to) ok = false;
      var shownClaims = [];
      if (ok && item) {
        var claims = item.claims;
        for (var j = 0; j < claims.length; j++) {
          if (!verdict || claims[j].verdict === verdict) shownClaims.push(j);
        }
        if (verdict && !shownClaims.length) ok = false;
        if (ok && terms.length) {
          var hay = item.text, matchEvent = terms.every(function (t) { return hay.indexOf(t) >= 0; });
          if (!matchEvent) {
            shownClaims = shownClaims.filter(function (j) {
              return terms.every(function (t) { return claims[j].text.indexOf(t) >= 0; });
            });
            if (!shownClaims.length) ok = false;
          }
        }
      }
      if (item) {
        item.li.hidden = !ok;
        var set = {};
        shownClaims.forEach(function (j) { set[j] = true; });
        for (var k = 0; k < item.claims.length; k++) item.claims[k].li.hidden = !(ok && set[k]);
      }
      if (ok) { keep.push(i); claimsShown += shownClaims.length; }
    }
    return { keep: keep, claims: claimsShown };
  };

  Timeline.prototype.shift = function (i, zone) {
    if (zone === "utc") return 0;
    var m = zone === "own" ? this.ev.own[i] : this.ev.london[i];
    return m == null ? 0 : m * 60000;
  };

  Timeline.prototype.label = function (i, zone) {
    var lab = this.ev.lab[i], dd = this.ev.dd[i];
    var zoned = Array.isArray(lab) ? lab[{ own: 0, utc: 1, london: 2 }[zone]] : lab;
    if (!dd) return zoned;
    return Array.isArray(lab) ? dd + "<br>" + zoned : dd;
  };

  Timeline.prototype.traces = function (keep, zone, lanes) {
    var ev = this.ev, self = this, groups = {}, order = [], laneSeen = {};
    this.laneOrder = [];
    var useGl = keep.length > GL_THRESHOLD;
    keep.forEach(function (i) {
      var laneList = lanes === "actor" ? (ev.actors[i].length ? ev.actors[i] : ["(no actor named)"]) : [ev.cat[i]];
      var g = groups[ev.v[i]];
      if (!g) { g = groups[ev.v[i]] = { x: [], y: [], id: [], text: [], sx: [], sy: [] }; order.push(ev.v[i]); }
      var d = self.shift(i, zone), s = ev.s[i] + d, e = ev.e[i] + d;
      var x = ev.span[i] ? (s + e) / 2 : s;
      var hover = text(self.label(i, zone)).replace(/&lt;br&gt;/g, "<br>") + "<br><b>" + text(ev.title[i]) + "</b>";
      laneList.forEach(function (lane) {
        if (!laneSeen[lane]) { laneSeen[lane] = 1; self.laneOrder.push(lane); }
        g.x.push(x); g.y.push(lane); g.id.push(ev.id[i]); g.text.push(hover);
        if (ev.span[i]) { g.sx.push(s, e, null); g.sy.push(lane, lane, null); }
      });
    });
    var out = [], spans = [];
    this.styles.forEach(function (st) {
      var g = groups[st.key];
      if (!g) return;
      if (g.sx.length) {
        spans.push({ type: useGl ? "scattergl" : "scatter", mode: "lines", x: g.sx, y: g.sy, hoverinfo: "skip",
          showlegend: false, line: { color: st.colour, width: 10 }, opacity: 0.3 });
      }
      out.push({ type: useGl ? "scattergl" : "scatter", mode: "markers", name: st.label, x: g.x, y: g.y,
        customdata: g.id, text: g.text, hovertemplate: "%{text}<extra>" + text(st.label) + "</extra>",
        marker: { color: st.colour, symbol: st.symbol, size: 13, line: { color: st.colour, width: 2 } } });
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

  Timeline.prototype.layout = function (traces, zone, lanes) {
    var n = this.laneOrder.length;
    var range = this.focusRange(traces);
    return {
      xaxis: { type: "date", range: range || undefined, autorange: !range, title: { text: { own: "Time as reported (each event's local clock)", utc: "UTC", london: "London time" }[zone] } },
      yaxis: { type: "category", autorange: "reversed", automargin: true, categoryorder: "array", categoryarray: this.laneOrder.slice() },
      legend: { title: { text: "Worst verdict" }, orientation: "h", y: -0.25 },
      margin: { l: 10, r: 10, t: 10, b: 10 }, height: Math.max(320, 46 * n + 160),
      hovermode: "closest", dragmode: "zoom", font: { family: "system-ui, sans-serif" }
    };
  };

  Timeline.prototype.update = function () {
    var r = this.filter();
    var zone = this.controls.zone ? this.controls.zone.value : "own";
    var lanes = this.controls.lanes ? this.controls.lanes.value : "category";
    var count = $(this.root, "#tl-count");
    if (count) {
      count.textContent = r.keep.length + " of " + this.ev.id.length + " events, " + r.claims + " of " + this.totalClaims + " claims";
    }
    var empty = $(this.root, "#tl-empty");
    if (empty) empty.hidden = r.keep.length > 0;
    this.updateZone(zone);
    var traces = this.traces(r.keep, zone, lanes);
    var self = this;
    var layout = this.layout(traces, zone, lanes);
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

  Timeline.prototype.updateZone = function (zone) {
    if (zone === this.zone) return;
    this.zone = zone;
    var times = this.list.querySelectorAll("time.tl-when[data-" + zone + "]");
    for (var i = 0; i < times.length; i++) {
      var t = times[i], v = t.getAttribute("data-" + zone);
      t.textContent = t.previousElementSibling && t.previousElementSibling.className === "tl-display-date" ? "(" + v + ")" : v;
    }
  };

  Timeline.prototype.select = function (id, scroll) {
    var item = this.items[id];
    if (!item) return;
    var panel = $(this.root, "#tl-selected");
    var prev = this.list.querySelectorAll(".tl-highlight");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("tl-highlight");
    item.li.classList.add("tl-highlight");
    if (panel) {
      var card = item.li.querySelector("article").cloneNode(true);
      var ids = card.querySelectorAll("[id]");
      for (i = 0; i < ids.length; i++) ids[i].removeAttribute("id");
      card.removeAttribute("aria-labelledby");
      card.setAttribute("aria-label", "Selected event");
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
    Promise.resolve(tl.update()).then(function () {
      document.documentElement.setAttribute("data-timeline-ready", "1");
      tl.followHash();
    });
  }

  function mountAll() {
    var root = document.getElementById("timeline-app");
    if (root && root.querySelector("#tl-data")) mount(root);
    return !!root;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
  if (!document.getElementById("timeline-app") && window.MutationObserver) {
    var obs = new MutationObserver(function () { if (mountAll()) obs.disconnect(); });
    obs.observe(document.documentElement, { childList: true, subtree: true });
  }
  window.timelineMount = mountAll;
})();
