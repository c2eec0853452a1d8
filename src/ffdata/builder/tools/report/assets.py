"""The page's stylesheet and script, inlined: no file, font or library is fetched at view time.

Example:
    >>> "overflow: auto" in CSS, "addEventListener" in SCRIPT
    (True, True)
"""

from __future__ import annotations

CSS = """
:root {
  --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
  --accent: #0072B2; --warn: #fff8e1; --warn-line: #E69F00;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
}
main, header.top, footer { max-width: 1240px; margin: 0 auto; padding: 0 1rem; }
header.top { padding-top: 1.5rem; }
h1 { font-size: clamp(1.5rem, 4vw, 2.2rem); line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .5rem; padding-top: .5rem; border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
p, li { max-width: 75ch; }
.lede { font-size: 1.05rem; color: var(--muted); }
nav.toc ul { display: flex; flex-wrap: wrap; gap: .3rem .6rem; padding: 0; margin: .8rem 0; list-style: none; }
nav.toc a { display: inline-block; padding: .15rem .55rem; border: 1px solid var(--line); border-radius: 1rem;
  text-decoration: none; color: var(--accent); font-size: .9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 9.5rem), 1fr));
  gap: .75rem; margin: 1rem 0; padding: 0; }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem .9rem; background: var(--soft); margin: 0; }
.card dt { font-size: .85rem; color: var(--muted); }
.card dd { margin: 0; }
.card .big { display: block; font-size: 1.6rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.card .small { display: block; font-size: .85rem; color: var(--muted); }
.callout { border-left: 4px solid var(--warn-line); background: var(--warn); padding: .6rem .9rem; margin: 1rem 0;
  max-width: 75ch; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 30rem), 1fr));
  gap: 1.25rem; align-items: start; }
figure.chart { margin: 0; padding: .5rem; border: 1px solid var(--line); border-radius: .5rem; min-width: 0; }
figure.chart svg { display: block; width: 100%; max-width: 32rem; height: auto; margin: 0 auto; }
.charts.wide { grid-template-columns: 1fr; }
figure.chart.wide svg { max-width: 64rem; }
figure.chart svg.narrow-only { display: none; max-width: 32rem; }
td.none { color: var(--muted); font-style: italic; }
figure.chart figcaption { font-size: .85rem; color: var(--muted); padding: .4rem .2rem 0; }
.table-wrap { overflow: auto; max-width: 100%; max-height: 75vh; border: 1px solid var(--line);
  border-radius: .5rem; -webkit-overflow-scrolling: touch; }
.table-wrap.short { max-height: none; }
table { border-collapse: collapse; font-size: .88rem; width: 100%; }
th, td { padding: .3rem .55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--soft); z-index: 1; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.wide { min-width: 14rem; }
#figures-table tbody th { position: sticky; left: 0; background: inherit; z-index: 1; }
#figures-table td, #figures-table th { white-space: nowrap; }
#figures-table code.printed { white-space: pre; }
#figures-table thead th:first-child { left: 0; z-index: 2; }
.aside p { margin-top: 0; }
tbody tr { background: #fff; }
tbody tr:nth-child(even) { background: #f8f9fb; }
th button { font: inherit; font-weight: 700; color: inherit; background: none; border: 0; padding: 0;
  cursor: pointer; white-space: nowrap; }
th button::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
code.printed { white-space: pre-wrap; tab-size: 4; background: var(--soft); padding: 0 .25rem; border-radius: .25rem;
  font-size: .85rem; }
.flag { display: inline-block; font-size: .75rem; background: var(--warn); border: 1px solid var(--warn-line);
  border-radius: .25rem; padding: 0 .3rem; margin: 0 .1rem .1rem 0; white-space: nowrap; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .5rem 0; }
.controls input[type=search] { font: inherit; padding: .35rem .5rem; border: 1px solid var(--muted);
  border-radius: .35rem; width: min(100%, 22rem); }
.controls label { white-space: nowrap; }
#count { color: var(--muted); font-size: .9rem; }
dl.flags dt { font-weight: 700; margin-top: .6rem; }
dl.flags dd { margin: 0 0 0 1rem; max-width: 75ch; }
details summary { cursor: pointer; font-weight: 600; margin: .5rem 0; }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; }
ol.sources li { margin-bottom: .4rem; }
a { color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media (min-width: 60rem) {
  .cards { grid-template-columns: repeat(4, 1fr); }
}
@media (max-width: 40rem) {
  h2 { font-size: 1.2rem; }
  .card .big { font-size: 1.35rem; }
  figure.chart { padding: .25rem 0; border: 0; }
  figure.chart figcaption { font-size: .8rem; }
}
@media (max-width: 45rem) {  /* a chart drawn for a phone too: that layout, where the other
  (9.2 inches) would show its text at less than 0.9 of its size */
  figure.chart svg.wide-only { display: none; }
  figure.chart svg.narrow-only { display: block; }
}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("figures-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (row, index) {
    row.dataset.index = String(index);
    row.dataset.search = row.textContent.toLowerCase().replace(/\\s+/g, " ");
  });
  var input = document.getElementById("filter");
  var flaggedOnly = document.getElementById("flagged-only");
  var count = document.getElementById("count");
  function apply() {
    var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = terms.every(function (t) { return row.dataset.search.indexOf(t) !== -1; });
      if (flaggedOnly.checked && !row.dataset.flagged) { ok = false; }
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "Showing " + shown + " of " + rows.length + " figures";
  }
  input.addEventListener("input", apply);
  flaggedOnly.addEventListener("change", apply);
  function key(row, column, numeric) {
    var cell = row.cells[column];
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (numeric) { return value === "" ? null : parseFloat(value); }
    return value.toLowerCase();
  }
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    var numeric = th.classList.contains("num");
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      if (numeric && !th.hasAttribute("aria-sort")) { ascending = false; }
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var sign = ascending ? 1 : -1;
      rows.sort(function (a, b) {
        var x = key(a, column, numeric), y = key(b, column, numeric);
        if (x === null || y === null) {
          if (x === y) { return a.dataset.index - b.dataset.index; }
          return x === null ? 1 : -1;
        }
        if (x < y) { return -sign; }
        if (x > y) { return sign; }
        return a.dataset.index - b.dataset.index;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
"""
