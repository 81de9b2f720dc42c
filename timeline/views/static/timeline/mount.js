/* Mounting: a Timeline for #timeline-app once its data is on the page (now, or when Voila or a
   notebook adds it later); window.timelineMount mounts again. A long story's page (the
   dashboard's and the static site's: timeline/views/chart_parts.py) holds no event's data: its
   chart is drawn at once from its groups, and the Timeline mounts once the data has come. */
/* global Timeline, whenParsed, getScript, formatHash, parseHash, cellsKey */
function mount(root) {
  if (root.getAttribute("data-mounted")) return;
  root.setAttribute("data-mounted", "1");
  if (!window.Plotly) { root.setAttribute("data-error", "plotly.js is missing"); return; }
  var data = JSON.parse(root.querySelector("#tl-data").textContent);
  if (data.list && data.list.chart && !data.events) mountGrouped(root, data);
  else start(root, data);
}

/* ``predrawn``: the key (chart.js cellsKey) of the groups already on the chart, if any: the
   Timeline draws them again only if its own differ. */
function start(root, data, predrawn) {
  var tl = new Timeline(root, data);
  root.timeline = tl;
  tl.predrawn = predrawn || null;
  var fallback = root.querySelector(".tl-chart-fallback");
  if (fallback) fallback.parentNode.removeChild(fallback);
  var drawn = Promise.resolve(tl.update()); // the chart first, from #tl-data alone
  whenParsed(function () {
    var again = tl.attach();
    Promise.all([drawn, again]).then(function () { return tl.followHash(); }).then(function () {
      document.documentElement.setAttribute("data-timeline-ready", "1");
    });
  });
}

/* A long story's page: the chart drawn at once from its groups (made with the page). The chart's
   data for every event (megabytes for a large archive) comes after: from the dashboard's server
   as soon as the chart is drawn (without the events' titles: chart.js asks for those a zoom
   shows); on a static site, only when the reader reaches for it (a link with an event or filters
   in its address, or a first touch of the controls, the chart or "show more"). ``start`` then
   mounts the timeline as any other, with the filters the reader set meanwhile. */
var FILTER_CONTROLS = { q: "#tl-search", category: "#tl-filter-category", actor: "#tl-filter-actor",
  verdict: "#tl-filter-verdict", from: "#tl-from", to: "#tl-to", zone: "#tl-zone", lanes: "#tl-lanes" };

function mountGrouped(root, data) {
  var list = data.list, chart = list.chart;
  var pre = new Timeline(root, { events: { id: [] }, verdicts: data.verdicts, focus: data.focus,
    config: data.config, i18n: data.i18n, list: list });
  pre.laneOrder = chart.lanes;
  var traces = pre.cellTraces(chart.cells, chart.width), note = root.querySelector("#tl-group-note");
  if (note) note.hidden = false;
  var fallback = root.querySelector(".tl-chart-fallback");
  if (fallback) fallback.parentNode.removeChild(fallback);
  var controls = root.querySelector(".tl-controls"), more = root.querySelector("#tl-more-link a");
  var touched = false, loading = null, wantMore = false;
  function filtersToHash() { // what the reader set before the data came: attach() reads the address
    var filters = {};
    for (var k in FILTER_CONTROLS) {
      var el = root.querySelector(FILTER_CONTROLS[k]);
      if (el && el.value.trim()) filters[k] = el.value.trim();
    }
    if (window.history && history.replaceState) {
      history.replaceState(history.state, "", formatHash(parseHash(location.hash).anchor, filters) || location.pathname + location.search);
    }
  }
  function fetched() { // the server's answer, asked again while it is busy (fetch.js)
    return pre.retried("data", function () { return true; }, function () { return pre.fetchText(list.data); })
      .then(JSON.parse);
  }
  function go() {
    if (loading) return loading;
    pre.chart.setAttribute("aria-busy", "true");
    loading = (list.static ? getScript(list.data, "data") : fetched()).then(function (full) {
      pre.chart.removeAttribute("aria-busy");
      if (touched) filtersToHash();
      for (var k in data) if (!Object.prototype.hasOwnProperty.call(full, k)) full[k] = data[k];
      full.list = list;
      start(root, full, cellsKey(chart.cells, chart.width, chart.lanes));
      whenParsed(function () {
        var tl = root.timeline;
        if (wantMore && tl && tl.more) tl.more.click();
      });
    }, function () {
      pre.chart.removeAttribute("aria-busy");
      var p = document.createElement("p");
      p.className = "tl-list-problem"; p.setAttribute("role", "alert");
      p.textContent = list.words.failed;
      pre.chart.parentNode.insertBefore(p, pre.chart.nextSibling);
    });
    return loading;
  }
  if (controls) {
    controls.hidden = false;
    ["focusin", "pointerdown"].forEach(function (type) { controls.addEventListener(type, go); });
    ["input", "change"].forEach(function (type) {
      controls.addEventListener(type, function () { if (!root.timeline) { touched = true; go(); } });
    });
  }
  ["focusin", "pointerdown"].forEach(function (type) { pre.chart.addEventListener(type, go); });
  if (more) {
    more.addEventListener("click", function (e) {
      if (root.timeline) return;
      e.preventDefault();
      wantMore = true;
      go();
    });
  }
  var drawn = Promise.resolve(window.Plotly.react(pre.chart, traces, pre.layout(traces, "own"), pre.plotConfig()));
  drawn.then(function () {
    var svgs = pre.chart.querySelectorAll("svg");
    for (var k = 0; k < svgs.length; k++) svgs[k].setAttribute("aria-hidden", "true");
    root.setAttribute("data-chart-drawn", "1");
    // The dashboard's server: the data at once. A static site's file: when asked for, or when the
    // address names an event or filters to show.
    if (!list.static || location.hash.length > 1) go();
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
