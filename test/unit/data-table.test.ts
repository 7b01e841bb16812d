/**
 * The tables every list page and panel draws: one header row with a column header per column
 * (numbers right-aligned), the rows given, and a list's own message instead of an empty table.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, ListTable, numeric } from "../../app/components/data-table.tsx";

const row = (name: string, amount: number) =>
  createElement("tr", { key: name }, createElement("td", null, name), createElement("td", { className: "num" }, amount));

describe("DataTable", () => {
  it("heads each column for screen readers and right-aligns the numeric ones", () => {
    const html = renderToStaticMarkup(
      createElement(DataTable, { columns: ["名称", numeric("数量"), null], testId: "lines", className: "stack-on-phone" }, row("原煤", 120)),
    );
    expect(html).toBe(
      '<table class="stack-on-phone" data-testid="lines"><thead><tr>' +
        '<th scope="col">名称</th><th scope="col" class="num">数量</th><th scope="col"></th>' +
        '</tr></thead><tbody><tr><td>原煤</td><td class="num">120</td></tr></tbody></table>',
    );
  });

  it("names the table in a caption only screen readers read, when asked", () => {
    const html = renderToStaticMarkup(createElement(DataTable, { columns: ["a"], caption: "变化的项目" }, null));
    expect(html).toContain('<caption class="sr-only">变化的项目</caption>');
  });
});

describe("ListTable", () => {
  const empty = createElement("p", { className: "muted" }, "没有文件");

  it("shows the list's own message, and no table, when there are no rows", () => {
    const html = renderToStaticMarkup(createElement(ListTable<string>, { rows: [], row: (r) => row(r, 1), empty, columns: ["a"] }));
    expect(html).toBe('<p class="muted">没有文件</p>');
  });

  it("draws one row per item inside the scrolling wrapper, a card on a page of its own", () => {
    const items = [
      { name: "原煤", amount: 120 },
      { name: "柴油", amount: 3 },
    ];
    const props = { rows: items, row: (r: (typeof items)[number]) => row(r.name, r.amount), empty, columns: ["名称", numeric("数量")] };
    const plain = renderToStaticMarkup(createElement(ListTable<(typeof items)[number]>, props));
    expect(plain.startsWith('<div class="table-wrap"><table>')).toBe(true);
    expect(plain.match(/<tr><td>/g)).toHaveLength(2);
    expect(plain).toContain('<td>柴油</td><td class="num">3</td>');
    const card = renderToStaticMarkup(createElement(ListTable<(typeof items)[number]>, { ...props, card: true }));
    expect(card.startsWith('<div class="card table-wrap">')).toBe(true);
  });
});
