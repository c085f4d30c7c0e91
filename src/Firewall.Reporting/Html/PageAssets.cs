namespace Firewall.Reporting.Html;

/// <summary>
/// The page's only style sheet and script, inlined so that the report is one file that opens offline.
/// System fonts only (no web font to fetch). Neither contains "]]>" or "&lt;/", so both sit safely
/// in the page's CDATA sections.
/// </summary>
internal static class PageAssets
{
    public const string Css = """
        :root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --panel: #f8fafc; --accent: #2563eb;
                --good: #15803d; --bad: #dc2626; --warn: #d97706; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
               color: var(--ink); background: #f1f5f9; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12.5px; }
        .wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
        .masthead { background: linear-gradient(135deg, #0f172a 0%, #1e3a5f 100%); color: #f8fafc; padding: 28px 0 26px; }
        .masthead .kicker { margin: 0; text-transform: uppercase; letter-spacing: .12em; font-size: 12px; color: #93c5fd; font-weight: 600; }
        .masthead h1 { margin: 2px 0 6px; font-size: 30px; font-weight: 700; letter-spacing: -.01em; }
        .masthead .description { margin: 0 0 8px; max-width: 900px; color: #cbd5e1; }
        .masthead .meta { margin: 0 0 18px; color: #cbd5e1; font-size: 13px; display: flex; flex-wrap: wrap; gap: 4px 22px; }
        .masthead code { color: #e2e8f0; background: rgba(255,255,255,.08); padding: 1px 5px; border-radius: 4px; }
        .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(138px, 1fr)); gap: 10px; }
        .stat { background: rgba(255,255,255,.07); border: 1px solid rgba(255,255,255,.14); border-radius: 10px; padding: 10px 14px 11px;
                display: flex; flex-direction: column; position: relative; }
        .stat .value { font-size: 24px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.25; white-space: nowrap; }
        .stat .label { font-size: 12px; color: #cbd5e1; }
        .stat .share { font-size: 12px; color: #e2e8f0; font-weight: 600; }
        .stat.good { border-top: 3px solid #4ade80; }
        .stat.bad { border-top: 3px solid #f87171; }
        .toc { background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
        .toc .wrap { display: flex; flex-wrap: wrap; gap: 2px 4px; padding-top: 6px; padding-bottom: 6px; }
        .toc a { color: #334155; text-decoration: none; padding: 4px 10px; border-radius: 6px; font-size: 13px; font-weight: 500; }
        .toc a:hover, .toc a:focus { background: #eff6ff; color: var(--accent); }
        main { padding-top: 8px; padding-bottom: 24px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 20px 24px 22px; margin: 18px 0; }
        h2 { margin: 0 0 4px; font-size: 20px; }
        h3 { margin: 20px 0 8px; font-size: 15px; }
        .lead { margin: 0 0 14px; color: #475569; max-width: 920px; }
        .muted { color: var(--muted); font-weight: 400; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
        .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 4px 16px 10px; }
        table { border-collapse: collapse; width: 100%; }
        table.numbers th, table.numbers td { padding: 3px 8px; text-align: left; border-bottom: 1px solid #edf2f7; font-weight: 400; }
        table.numbers tr:last-child th, table.numbers tr:last-child td { border-bottom: 0; }
        table.numbers th { white-space: nowrap; font-weight: 600; }
        table.numbers tr.indent th { padding-left: 22px; font-weight: 500; }
        table.numbers tr.indent2 th { padding-left: 38px; font-weight: 400; color: #475569; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.remark { color: var(--muted); font-size: 12.5px; }
        table.data { font-size: 13px; margin: 4px 0 8px; }
        table.data th { text-align: left; font-weight: 600; color: #334155; background: var(--panel); border-bottom: 2px solid var(--line);
                        padding: 7px 10px; white-space: nowrap; }
        table.data th.num { text-align: right; }
        table.data td { padding: 6px 10px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
        table.data tbody tr:hover { background: #f8fafc; }
        tr.never-hit td { color: #94a3b8; }
        code.ref { color: var(--muted); font-size: 11.5px; margin-left: 4px; }
        .badge { display: inline-block; padding: 0 7px; border-radius: 999px; font-size: 11.5px; font-weight: 600; line-height: 19px; white-space: nowrap;
                 background: #e2e8f0; color: #334155; }
        .badge.never { background: #fef3c7; color: #92400e; }
        .badge.o-allowed { background: #dcfce7; color: #166534; }
        .badge.o-request-denied { background: #e2e8f0; color: #334155; }
        .badge.o-reply-denied { background: #fee2e2; color: #991b1b; }
        .badge.o-partially-denied { background: #fef3c7; color: #92400e; }
        .badge.src-aws { background: #dbeafe; color: #1e40af; }
        .badge.src-netfilter { background: #ede9fe; color: #5b21b6; }
        .badge.src-option { background: #fce7f3; color: #9d174d; }
        .bar-col { width: 22%; min-width: 120px; }
        .bar { display: block; height: 8px; border-radius: 4px; background: #f1f5f9; overflow: hidden; margin-top: 6px; }
        .bar span { display: block; height: 100%; background: #3b82f6; border-radius: 4px; font-size: 0; line-height: 0; color: transparent; overflow: hidden; }
        .bar.deny span { background: #ef4444; }
        figure.chart-box { margin: 10px 0 18px; padding: 12px 12px 8px; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
        figure.chart-box figcaption { color: var(--muted); font-size: 12.5px; padding: 4px 6px 0; }
        svg.chart { display: block; width: 100%; height: auto; }
        /* The charts were laid out with Helvetica metrics; Arial and Liberation Sans share them. */
        svg.chart text { font-family: Arial, "Liberation Sans", Helvetica, sans-serif !important; }
        .card { border: 1px solid var(--line); border-left: 4px solid var(--bad); border-radius: 10px; padding: 4px 18px 12px; margin: 14px 0; background: #fff; }
        .card h3 { margin-top: 12px; }
        .card .where { margin: 0 0 6px; color: #475569; }
        .facts, .examples { margin: 4px 0 8px; padding-left: 20px; }
        .examples-title, .fix-title { margin: 10px 0 4px; font-weight: 600; }
        pre.fix { margin: 4px 0 8px; background: #0f172a; color: #e2e8f0; padding: 10px 14px; border-radius: 8px; overflow-x: auto; white-space: pre; }
        pre.fix.documented { background: #1e293b; }
        .client { margin: 6px 0 4px; color: #475569; }
        .warning, .note { background: #fffbeb; border: 1px solid #fde68a; color: #92400e; padding: 8px 12px; border-radius: 8px; }
        .empty { color: var(--muted); font-style: italic; }
        .table-scroll { overflow-x: auto; }
        table.flows { font-size: 12px; }
        table.flows th, table.flows td { padding: 5px 6px; }
        table.flows th { white-space: normal; vertical-align: bottom; }
        table.flows td { white-space: nowrap; }
        table.flows td.wrap { white-space: normal; overflow-wrap: anywhere; min-width: 9em; }
        #assumptions-table td:first-child { white-space: nowrap; }
        .table-tools { display: flex; align-items: center; gap: 12px; margin: 4px 0 10px; }
        .table-tools input { flex: 0 1 420px; font: inherit; padding: 7px 12px; border: 1px solid #cbd5e1; border-radius: 8px; }
        .table-tools input:focus { outline: 2px solid #93c5fd; border-color: var(--accent); }
        .table-tools .count { color: var(--muted); font-size: 13px; }
        th.sortable { cursor: pointer; user-select: none; }
        th.sortable::after { content: " \2195"; color: #cbd5e1; }
        th[aria-sort="ascending"]::after { content: " \2191"; color: var(--accent); }
        th[aria-sort="descending"]::after { content: " \2193"; color: var(--accent); }
        footer { color: var(--muted); font-size: 12.5px; padding-bottom: 28px; }
        @media (max-width: 700px) { .grid { grid-template-columns: 1fr; } section { padding: 16px; } }
        @media print {
          body { background: #fff; font-size: 11px; }
          .toc, .table-tools { display: none; }
          .wrap { max-width: none; padding: 0; }
          .masthead { -webkit-print-color-adjust: exact; print-color-adjust: exact; padding: 14px 16px; }
          section { border: 0; border-radius: 0; padding: 8px 0; margin: 10px 0; break-inside: auto; }
          h2 { break-after: avoid; }
          figure, .card, tr, pre { break-inside: avoid; }
          pre.fix { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .table-scroll { overflow: visible; }
          table.flows td { white-space: normal; }
          a { color: inherit; text-decoration: none; }
        }

        """;

    public const string Script = """
        (function () {
          "use strict";
          var table = document.getElementById("flow-table");
          if (!table || !table.tBodies.length) { return; }
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });

          var tools = document.createElement("div");
          tools.className = "table-tools";
          var input = document.createElement("input");
          input.type = "search";
          input.placeholder = "Filter flows: address, port, rule, outcome";
          input.setAttribute("aria-label", "Filter flows");
          var count = document.createElement("span");
          count.className = "count";
          count.setAttribute("aria-live", "polite");
          tools.appendChild(input);
          tools.appendChild(count);
          var holder = table.parentNode;
          holder.parentNode.insertBefore(tools, holder);

          function filter() {
            var q = input.value.trim().toLowerCase();
            var shown = 0;
            rows.forEach(function (r, i) {
              var hit = q === "" || texts[i].indexOf(q) !== -1;
              r.hidden = !hit;
              if (hit) { shown++; }
            });
            count.textContent = shown + " of " + rows.length + " rows";
          }
          input.addEventListener("input", filter);
          filter();

          var heads = table.tHead.rows[0].cells;
          Array.prototype.forEach.call(heads, function (th, col) {
            th.tabIndex = 0;
            th.classList.add("sortable");
            function sort() {
              var ascending = th.getAttribute("aria-sort") !== "ascending";
              Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
              th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
              var numeric = th.getAttribute("data-type") === "num";
              var keyed = rows.map(function (r, i) {
                var t = r.cells[col].textContent;
                return { row: r, index: i, key: numeric ? (parseFloat(t.replace(/,/g, "")) || 0) : t.toLowerCase() };
              });
              keyed.sort(function (a, b) {
                var d = numeric ? a.key - b.key : a.key.localeCompare(b.key);
                return (ascending ? d : -d) || a.index - b.index;
              });
              keyed.forEach(function (k) { body.appendChild(k.row); });
            }
            th.addEventListener("click", sort);
            th.addEventListener("keydown", function (e) {
              if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
            });
          });
        })();

        """;
}
