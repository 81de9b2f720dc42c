/* The page's words in the story's language. Every word the script shows is written here as
   _("...") or ngettext("...", "...", n): `make messages` (pybabel, babel.cfg) collects them into
   the catalogues, and the page's data hands over the story's language with the messages the
   script uses (timeline/i18n/script.py: msgid -> msgstr, or the list of plural forms, and the
   catalogue's Plural-Forms expression). A message without a translation reads as written here. */
/* exported _, ngettext, fmt, num, numText, pluralIndex, setLanguage, LANG */
var LANG = { tag: "en", dir: "ltr", messages: {}, plural: null, digits: "latn", numbers: null };

/* ``s`` with each ``%(name)s`` replaced by ``values[name]``. */
function fmt(s, values) {
  if (!values) return s;
  return s.replace(/%\((\w+)\)s/g, function (all, k) {
    return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : all;
  });
}

function _(msgid, values) {
  var m = LANG.messages[msgid];
  return fmt(typeof m === "string" && m ? m : msgid, values);
}

function ngettext(singular, plural, n, values) {
  var forms = LANG.messages[singular], k = LANG.plural ? LANG.plural(n) : (n === 1 ? 0 : 1);
  var s = Array.isArray(forms) && forms[k] ? forms[k] : (n === 1 ? singular : plural);
  return fmt(s, values);
}

/* A number as the story's language writes it (its separators and digits, as
   timeline/i18n/formats.format_number does). */
function num(n) {
  if (!LANG.numbers) {
    try {
      LANG.numbers = new Intl.NumberFormat(LANG.tag + "-u-nu-" + LANG.digits);
    } catch (e) {
      LANG.numbers = new Intl.NumberFormat("en-GB");
    }
  }
  return LANG.numbers.format(n);
}

/* A count as the page has always written it in English (``6000``), else as num() writes it. */
function numText(n) {
  return /^en(-|$)/.test(LANG.tag) ? String(n) : num(n);
}

/* The plural form (an index) that ``n`` takes under a gettext Plural-Forms expression, such as
   Arabic's "(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : ...)".
   A small parser of C's expression grammar (n, integers, ! % * / + - < <= > >= == != && || ?:
   and brackets): the page never evaluates text as code. Returns a function of n. */
function pluralIndex(expr) {
  var tokens = String(expr).match(/\d+|n|&&|\|\||[=!<>]=|[-+*/%<>!?:()]/g) || [];
  if (tokens.join("") !== String(expr).replace(/\s+/g, "")) throw new Error("Plural-Forms: cannot read " + expr);
  var at = 0;
  function peek() { return tokens[at]; }
  function take(t) {
    if (tokens[at] !== t) throw new Error("Plural-Forms: expected " + t + " in " + expr);
    at++;
  }
  var BINARY = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];
  function primary() {
    var t = tokens[at++];
    if (t === "(") { var inner = ternary(); take(")"); return inner; }
    if (t === "!") { var neg = primary(); return function (n) { return neg(n) ? 0 : 1; }; }
    if (t === "n") return function (n) { return n; };
    if (/^\d+$/.test(t)) { var v = Number(t); return function () { return v; }; }
    throw new Error("Plural-Forms: unexpected " + t + " in " + expr);
  }
  function level(k) {
    if (k === BINARY.length) return primary();
    var left = level(k + 1);
    while (BINARY[k].indexOf(peek()) >= 0) {
      left = apply(tokens[at++], left, level(k + 1));
    }
    return left;
  }
  function apply(op, a, b) {
    return function (n) {
      var x = a(n), y = b(n);
      switch (op) {
        case "||": return x || y ? 1 : 0;
        case "&&": return x && y ? 1 : 0;
        case "==": return x === y ? 1 : 0;
        case "!=": return x !== y ? 1 : 0;
        case "<": return x < y ? 1 : 0;
        case "<=": return x <= y ? 1 : 0;
        case ">": return x > y ? 1 : 0;
        case ">=": return x >= y ? 1 : 0;
        case "+": return x + y;
        case "-": return x - y;
        case "*": return x * y;
        case "/": return Math.floor(x / y);
        default: return x % y;
      }
    };
  }
  function ternary() {
    var cond = level(0);
    if (peek() !== "?") return cond;
    at++;
    var yes = ternary();
    take(":");
    var no = ternary();
    return function (n) { return cond(n) ? yes(n) : no(n); };
  }
  var f = ternary();
  if (at !== tokens.length) throw new Error("Plural-Forms: unexpected " + tokens[at] + " in " + expr);
  return function (n) { return Number(f(Math.abs(Math.floor(n)))); };
}

/* Take up the page's language (figure/render: data.i18n): {tag, dir, messages, plural, digits}. */
function setLanguage(i18n) {
  if (!i18n) return;
  LANG = { tag: i18n.tag || "en", dir: i18n.dir || "ltr", messages: i18n.messages || {},
    plural: i18n.plural ? pluralIndex(i18n.plural) : null, digits: i18n.digits || "latn",
    numbers: null, calendar: i18n.calendar || "gregorian", ticks: i18n.ticks || null,
    reversed: !!i18n.reversed };
}
