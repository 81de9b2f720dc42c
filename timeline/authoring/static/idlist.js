// The authoring app's id-list field (timeline/authoring/fields.py, IdList), an anywidget module.
//
// Type an id and press Enter (or "," or ";", or Tab, or click away; a suggestion picked from the
// list is taken at once); several ids pasted together are split on ";", "," and spaces. Each id
// is an item with a remove button; Backspace in the empty field removes the last one.
//
// What is typed stays in this input until it becomes an id: the kernel never writes the input,
// so no key is lost however fast the analyst types or however busy the kernel is. Keys are kept
// from JupyterLab (its command-mode shortcuts, and its guard that cancels Enter's line break in
// any input inside a cell: the reason ipywidgets' TagsInput never saw Enter); Ctrl/Cmd/Alt
// combinations (Ctrl+S) still reach it.

const SEPARATORS = /[;,\s]+/;
let counter = 0;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function render({ model, el }) {
  const uid = `timeline-idlist-${Date.now().toString(36)}-${counter++}`;
  el.classList.add("timeline-idlist");
  const row = element("div", "timeline-idlist-row");
  const label = element("label", "timeline-idlist-label");
  label.htmlFor = uid;
  const input = element("input", "timeline-idlist-input");
  Object.assign(input, { type: "text", id: uid, autocomplete: "off", spellcheck: false });
  const options = element("datalist");
  options.id = `${uid}-options`;
  input.setAttribute("list", options.id);
  const items = element("ul", "timeline-idlist-items");
  row.append(label, input, options);
  el.append(row, items);

  const save = (value) => {
    model.set("value", value);
    model.save_changes();
  };
  const commit = () => {
    const typed = input.value.split(SEPARATORS).filter(Boolean);
    input.value = "";
    if (!typed.length) return;
    const value = [...model.get("value")];
    for (const item of typed) if (!value.includes(item)) value.push(item);
    save(value);
  };
  const remove = (item) => save(model.get("value").filter((v) => v !== item));

  input.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey || event.altKey)) event.stopPropagation();
    if (event.isComposing) return;
    if (event.key === "Enter" || event.key === "," || event.key === ";") {
      event.preventDefault();
      commit();
    } else if (event.key === "Tab") {
      commit(); // and focus moves on
    } else if (event.key === "Backspace" && input.value === "") {
      const value = model.get("value");
      if (value.length) remove(value[value.length - 1]);
    }
  });
  input.addEventListener("keypress", (event) => event.stopPropagation());
  input.addEventListener("input", (event) => {
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) commit(); // picked from the list
  });
  input.addEventListener("blur", commit);

  const drawItems = () => {
    const unknown = new Set(model.get("unknown"));
    const noun = model.get("noun");
    items.replaceChildren(...model.get("value").map((item) => {
      const bad = unknown.has(item);
      const li = element("li", bad ? "timeline-idlist-item is-unknown" : "timeline-idlist-item");
      li.append(element("span", "timeline-idlist-id", item));
      if (bad) li.append(element("span", "timeline-idlist-note", say("unknown", {}) || ` (not a ${noun} id)`));
      const button = element("button", "timeline-idlist-remove", "×");
      button.type = "button";
      const removeLabel = say("remove", { id: item }) || `Remove ${item}`;
      button.setAttribute("aria-label", removeLabel);
      button.title = removeLabel;
      button.addEventListener("click", () => {
        remove(item);
        input.focus();
      });
      li.append(button);
      return li;
    }));
    items.hidden = model.get("value").length === 0;
  };
  const drawOptions = () => {
    options.replaceChildren(...model.get("options").map((id) => {
      const option = element("option");
      option.value = id;
      return option;
    }));
  };
  const drawText = () => {
    label.textContent = model.get("description");
    input.placeholder = model.get("placeholder");
    input.title = model.get("tooltip");
    const name = model.get("description").replace(/\s*\*$/, "");
    items.setAttribute("aria-label", say("added", { label: name }) || `${name}: ids added`);
    el.dir = model.get("dir") || "ltr";
  };
  // The field's words come from the kernel in the app's language (fields.py, IdList.words):
  // "{id}" and "{label}" are filled here.
  function say(key, values) {
    const text = (model.get("words") || {})[key];
    if (!text) return "";
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  }
  const watched = [
    ["change:value", drawItems], ["change:unknown", drawItems], ["change:noun", drawItems],
    ["change:options", drawOptions],
    ["change:description", drawText], ["change:placeholder", drawText], ["change:tooltip", drawText],
    ["change:words", drawText], ["change:words", drawItems], ["change:dir", drawText],
  ];
  for (const [name, handler] of watched) model.on(name, handler);
  drawText();
  drawOptions();
  drawItems();
  return () => {
    for (const [name, handler] of watched) model.off(name, handler);
  };
}

export default { render };
