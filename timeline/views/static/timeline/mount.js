/* Mounting: a Timeline for #timeline-app once its data is on the page (now, or when Voila or a
   notebook adds it later); window.timelineMount mounts again. */
/* global Timeline, whenParsed, mountFiles */
function mount(root) {
  if (root.getAttribute("data-mounted")) return;
  root.setAttribute("data-mounted", "1");
  if (!window.Plotly) { root.setAttribute("data-error", "plotly.js is missing"); return; }
  var data = JSON.parse(root.querySelector("#tl-data").textContent);
  // A static site's long list: the chart's data comes from a file (files.js).
  if (data.list && data.list.static && !data.events) mountFiles(root, data, start);
  else start(root, data);
}

function start(root, data) {
  var tl = new Timeline(root, data);
  root.timeline = tl;
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
