// Loads parts of the page's script (timeline/views/static/timeline/*.js) into a fresh context, as
// timeline/views/assets.py joins them (one scope), and returns that context: its functions and
// constants are the parts' own. Only base.js and i18n.js (the words every part uses) are always loaded (the Timeline the parts extend).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const PARTS = fileURLToPath(new URL("../../../timeline/views/static/timeline/", import.meta.url));

export function load(...names) {
  const context = vm.createContext({ Date, Math, Intl, console, atob });
  const source = ["base.js", "i18n.js", ...names].map((n) => readFileSync(PARTS + n, "utf-8")).join("\n");
  vm.runInContext(source, context, { filename: "timeline.js" });
  return context;
}
