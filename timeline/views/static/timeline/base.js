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
 *
 * The script is written in parts, one per job (timeline/views/assets.py SCRIPT_PARTS joins
 * them, in one function scope): this one holds the helpers every part uses and the Timeline
 * object whose prototype the others extend.
 */
/* global setLanguage */
/* exported text, $, whenParsed, Timeline */
function text(s) {
  return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function $(root, sel) { return root.querySelector(sel); }

function whenParsed(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
  else fn();
}

function Timeline(root, data) {
  this.root = root;
  data = data || JSON.parse($(root, "#tl-data").textContent); // a static site's long list: from its file
  this.data = data;
  setLanguage(data.i18n); // the story's language (i18n.js): an English page's data has none
  var ev = this.ev = data.events;
  this.n = ev.id.length;
  this.styles = data.verdicts;
  this.vIndex = {}; // verdict key -> its index in styles
  for (var v = 0; v < this.styles.length; v++) this.vIndex[this.styles[v].key] = v;
  this.focus = data.focus; // the initial range's rule, from timeline/figure.py FOCUS
  this.config = data.config || {}; // the toolbar, from timeline/figure.py PLOTLY_CONFIG
  this.groups = {}; // the desk's actor groups: name -> its events' positions (render.actor_group_events)
  (data.groups || []).forEach(function (g) { this.groups[g.name] = g.ev; }, this);
  this.chart = $(root, "#tl-chart");
  this.labels = {}; // zone -> [hover label per event], each made on first use
  this.items = null; // id -> {li, i, claims}, once the list is parsed
  this.pos = new Map(); // id -> its position (a Map: 100,000 ids go in three times faster than in an object)
  for (var i = 0; i < this.n; i++) this.pos.set(ev.id[i], i);
  this.all = [];
  for (i = 0; i < this.n; i++) this.all.push(i);
  // A long story in the dashboard: the page holds the first events of the list; the
  // server (timeline/listing.py) sends the others and answers text searches.
  this.paged = data.list || null;
  // A paged list's answers may come back out of order: the last action always wins.
  this.seq = 0; // the newest filter (its search answer may still be on its way)
  this.listSeq = 0; // the newest change of the list (a filter or "show more")
  this.filterPending = null; // the newest filter's promise, until its list is shown
  this.selectSeq = 0; // the newest selection (its event may still be loading)
  this.loading = {}; // id -> the request in flight that brings its list item
  this.waits = {}; // "list" or "select" -> the retry that action waits for: {timer, go}
  this.said = {}; // "list" or "select" -> what its retry says in the status line
  this.view = null; // the chart's zoomed x range, when it has one
  this.searches = {};
  this.drawSeq = 0; // the newest draw (it may wait for titles)
  this.predrawn = null; // the key of the groups drawn before the data came (mount.js)
  this.titles = []; // a long story on the dashboard: the titles fetched so far, by position
  this.titleAsks = {}; // block -> its request (fetch.js loadTitles)
}

/* Event i's title: from the data, or (a long story on the dashboard) as fetched for the hover. */
Timeline.prototype.titleOf = function (i) {
  return this.ev.title ? this.ev.title[i] : this.titles[i];
};
