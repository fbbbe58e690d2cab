namespace Miso.Privacy.Dashboard.Assets;

static class PageStyles
{
    public const string Text = """
        :root { --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; --card: #fff; --blue: #2f6fde;
                --green: #1f9d6b; --red: #d0312d; --amber: #c77c02; --radius: 10px; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
        .muted { color: var(--muted); font-weight: normal; } .small { font-size: 12px; } .error { color: var(--red); }
        .bar { display: flex; align-items: center; gap: 1.5rem; padding: .75rem 1.5rem; background: #102a43; color: #fff; flex-wrap: wrap; }
        .bar .muted { color: #9fb3c8; } .brand { font-weight: 600; font-size: 16px; } .logo { color: #7fb3ff; }
        .search { display: flex; gap: .4rem; flex: 1; min-width: 300px; max-width: 640px; }
        .search input { flex: 1; } input, select, button { font: inherit; padding: .4rem .6rem; border-radius: 6px; border: 1px solid #bcccdc; }
        button { background: var(--blue); color: #fff; border-color: var(--blue); cursor: pointer; } button.link { background: none; border: none; color: #9fb3c8; text-decoration: underline; }
        .status { display: flex; align-items: center; gap: .5rem; margin-left: auto; }
        .dot { width: 9px; height: 9px; border-radius: 50%; background: #829ab1; display: inline-block; } .dot.ok { background: #3ebd93; } .dot.bad { background: var(--red); }
        main { padding: 1.5rem; max-width: 1400px; margin: 0 auto; display: grid; gap: 1.25rem; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 1rem; }
        .tile { background: var(--card); border-radius: var(--radius); padding: 1rem 1.2rem; box-shadow: 0 1px 2px rgba(16,42,67,.08); border-top: 4px solid var(--blue); }
        .tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .tile .value { font-size: 34px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.2; }
        .tile .sub { color: var(--muted); font-size: 12px; }
        .tile.alert { border-top-color: var(--red); } .tile.alert .value { color: var(--red); }
        .tile.warn { border-top-color: var(--amber); } .tile.good { border-top-color: var(--green); }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1.25rem; }
        .card { background: var(--card); border-radius: var(--radius); padding: 1rem 1.25rem; box-shadow: 0 1px 2px rgba(16,42,67,.08); min-width: 0; }
        .card.wide { grid-column: span 2; } @media (max-width: 900px) { .card.wide { grid-column: auto; } }
        h2 { font-size: 15px; margin: 0 0 .75rem; }
        .chart svg { width: 100%; height: auto; display: block; } .chart text { font-size: 10px; fill: var(--muted); }
        .chart .grid-line { stroke: var(--line); } .chart .received { fill: var(--blue); } .chart .completed { fill: var(--green); } .chart .bucket { fill: #7b61ff; }
        .legend { display: flex; gap: 1rem; font-size: 12px; color: var(--muted); margin-top: .25rem; }
        .legend i.received { background: var(--blue); } .legend i.completed { background: var(--green); } button.link.close { color: var(--blue); }
        .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
        .requests { list-style: none; margin: 0; padding: 0; max-height: 320px; overflow: auto; }
        .requests li { border-bottom: 1px solid var(--line); }
        .requests a { display: flex; justify-content: space-between; gap: .5rem; padding: .45rem .25rem; color: inherit; text-decoration: none; }
        .requests a:hover { background: #f0f4f8; } .requests .late { color: var(--red); font-weight: 600; white-space: nowrap; }
        .empty { color: var(--muted); padding: .5rem .25rem; }
        .table { width: 100%; border-collapse: collapse; } .table th, .table td { text-align: left; padding: .35rem .25rem; border-bottom: 1px solid var(--line); }
        .table td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .pill { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: 12px; background: #e4e7eb; }
        .pill.completed { background: #d6f5e8; color: #0f6848; } .pill.failed, .pill.overdue { background: #fde2e1; color: #a61b17; }
        .pill.pending, .pill.in_progress { background: #e0ebff; color: #1d4fb8; } .pill.cancelled { background: #eceff1; }
        .timeline { list-style: none; margin: .5rem 0 0; padding: 0 0 0 1rem; border-left: 2px solid var(--line); }
        .timeline li { margin: 0 0 .8rem; position: relative; } .timeline li::before { content: ""; position: absolute; left: -1.38rem; top: .45rem; width: 10px; height: 10px; border-radius: 50%; background: var(--blue); }
        .timeline .action { font-weight: 600; } .timeline pre { margin: .2rem 0 0; white-space: pre-wrap; word-break: break-all; color: var(--muted); font-size: 12px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .5rem; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
        dialog { border: none; border-radius: var(--radius); padding: 1.5rem; width: min(420px, 90vw); box-shadow: 0 10px 40px rgba(16,42,67,.3); }
        dialog input { width: 100%; margin: .5rem 0 1rem; }
        """;
}
