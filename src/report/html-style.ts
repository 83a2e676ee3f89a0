/** The report page's style sheet, inlined into the page (no external resources). */
export const HTML_STYLE = `
:root { --fg:#1d2330; --muted:#5b6475; --line:#e3e6ec; --bg:#f6f7f9; --card:#fff; --accent:#0072B2; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif; color:var(--fg); background:var(--bg); }
main { max-width:1280px; margin:0 auto; padding:28px 32px 48px; }
h1 { font-size:26px; margin:0 0 4px; }
h2 { font-size:20px; margin:36px 0 6px; padding-top:18px; border-top:2px solid var(--line); }
p.sub, .muted { color:var(--muted); }
.machine { display:flex; flex-wrap:wrap; gap:8px 22px; margin:12px 0 0; padding:0; list-style:none; color:var(--muted); font-size:14px; }
.machine b { color:var(--fg); font-weight:600; }
.explain { background:var(--card); border-left:4px solid var(--accent); padding:12px 18px; margin:18px 0;
  border-radius:4px; box-shadow:0 1px 2px rgba(0,0,0,.06); }
.explain p { margin:6px 0; }
.charts { columns:2 520px; column-gap:16px; margin:14px 0; }
.card { background:var(--card); border-radius:6px; padding:10px 12px; margin:0 0 16px;
  box-shadow:0 1px 3px rgba(0,0,0,.08); break-inside:avoid; }
svg.chart { width:100%; height:auto; display:block; font-family:inherit; }
svg .ct { font-size:15px; font-weight:600; fill:var(--fg); }
svg .tk, svg .lg, svg .bv { font-size:11.5px; fill:var(--muted); }
svg .gl { font-size:12px; fill:var(--fg); }
svg .al { font-size:12.5px; fill:var(--muted); }
svg .grid { stroke:var(--line); stroke-width:1; }
svg .axis { stroke:#9aa3b2; stroke-width:1; }
.tablewrap { overflow-x:auto; background:var(--card); border-radius:6px; box-shadow:0 1px 3px rgba(0,0,0,.08); }
table { border-collapse:collapse; width:100%; font-size:13px; font-variant-numeric:tabular-nums; }
th, td { padding:6px 9px; text-align:right; white-space:nowrap; border-bottom:1px solid var(--line); }
th { background:#eef1f5; font-weight:600; position:sticky; top:0; }
th:first-child, td:first-child { text-align:left; }
tr.best td { background:#e8f4ea; font-weight:600; }
td.noisy { color:#b35900; }
ul.notes { font-size:14px; color:var(--muted); }
ul.notes li.flag { color:#a33; }
section.verdict p { font-weight:600; margin:.3em 0; } section.verdict p.flag { color:#a33; }
code { font-size:12.5px; background:#eceff3; padding:1px 5px; border-radius:3px; }
.side { display:grid; grid-template-columns:repeat(auto-fit,minmax(330px,1fr)); gap:16px; align-items:start; }
.side .card { margin:0; overflow-x:auto; }
.side h3 { font-size:14.5px; margin:2px 0 8px; }
table.mini { font-size:12.5px; }
table.mini th, table.mini td { padding:4px 5px; position:static; }
table.mini td:first-child { white-space:normal; }
.ratio { display:inline-flex; align-items:center; gap:5px; }
.ratio .track { display:inline-block; width:44px; }
.ratio .bar { display:block; height:10px; border-radius:2px; background:#9aa3b2; }
.ratio .bar.gain { background:#009E73; } .ratio .bar.loss { background:#D55E00; }
.ratio .rv { min-width:40px; }
footer { margin-top:40px; font-size:13px; color:var(--muted); }
`;
