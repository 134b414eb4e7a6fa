"""The class report page's stylesheet: screen (desktop and phone) and print."""

from __future__ import annotations

CSS = """
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  background: #fff; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: .3rem 0; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
a { color: #0a55a0; }
.meta, .note { color: #444; font-size: .92rem; margin: .3rem 0; }
nav ul { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .6rem 0; padding: 0;
  list-style: none; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
  gap: .6rem; margin: 0; }
.counts div { border: 1px solid #d6d6d6; border-radius: 6px; padding: .5rem .7rem; }
.counts dt { font-size: .85rem; color: #444; }
.counts dd { margin: 0; font-size: 1.3rem; font-weight: 600; overflow-wrap: anywhere; }
.counts dd small { display: block; font-size: .8rem; font-weight: normal; color: #444; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
svg.chart { display: block; width: 100%; max-width: 42rem; height: auto; }
figcaption { font-size: .9rem; color: #333; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; margin: .4rem 0; padding: 0;
  list-style: none; font-size: .9rem; }
.legend svg { vertical-align: middle; margin-right: .3rem; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: .4rem 0; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #e2e2e2; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f3f3f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.num.spread { white-space: normal; min-width: 5.5rem; }
.prompt { min-width: 14rem; max-width: 30rem; }
.qid { display: block; font: .8rem ui-monospace, "DejaVu Sans Mono", monospace; color: #444; }
.hidden, .none { color: #555; font-style: italic; }
ul.options, ul.wrong { margin: 0; padding-left: 1.1rem; min-width: 12rem; }
.key { font-weight: 600; }
.nowrap { white-space: nowrap; }
.flags { padding-left: 1.2rem; }
.flags li { margin: .5rem 0; }
.sev { border-left: 4px solid #999; padding-left: .7rem; margin: .8rem 0; }
.sev-broken { border-color: #D55E00; }
.sev-review { border-color: #E69F00; }
.sev-info { border-color: #56B4E9; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: 3px;
  background: #eee; margin: .1rem .2rem 0 0; }
.badge-broken { background: #D55E00; color: #fff; }
.badge-review { background: #fbe3b5; }
details { margin: .4rem 0; }
summary { cursor: pointer; color: #0a55a0; }
footer { margin: 2.5rem 0 1rem; color: #555; font-size: .85rem; }
@media (max-width: 40rem) { html { font-size: 14px; } body { padding: .6rem; } }
@page { margin: 14mm 12mm; }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  table { width: 100%; }
  .prompt { min-width: 11rem; }
  ul.options, ul.wrong { min-width: 8rem; }
  #map details { display: none; }  /* the same figures print in the question table */
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  summary { color: inherit; }
}
"""
