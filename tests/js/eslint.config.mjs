// ESLint for the page's script (timeline/views/static/timeline/*.js, joined into timeline.js by
// timeline/views/assets.py) and these tests: `make lint` runs it.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    // The parts share one function scope once joined: each says what it takes from the others
    // (/* global */) and what it gives them (/* exported */).
    files: ["timeline/views/static/timeline/*.js"],
    languageOptions: { ecmaVersion: 2017, sourceType: "script", globals: { ...globals.browser } },
    rules: {
      "no-unused-vars": ["error", { vars: "local", args: "none", caughtErrors: "none" }],
      "no-var": "off",
      eqeqeq: ["error", "smart"],
      "no-implicit-globals": "off",
    },
  },
  {
    files: ["tests/js/**/*.js", "tests/js/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
  { ignores: ["tests/js/node_modules/**"] },
];
