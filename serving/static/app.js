"use strict";

// Chinese names of the reader's arithmetic checks (勾稽关系).
const CHECK_NAMES = {
  identity: "新收 + 结转 = 总计 + 结转下年度",
  outcome_sum: "总计 = 各处理结果之和",
  group_sum: "分项之和 = 小计",
  column_sum: "总计列 = 各类申请人之和",
  review_litigation_sum: "复议、诉讼总计 = 各结果之和",
  narrative: "正文数字与统计表一致",
};
// Rows the identity check compares, column by column.
const IDENTITY_ROWS = ["new_received", "carried_over", "total", "carried_forward"];

const names = { leaf: {}, group: {}, marker: {}, row: {} };
let columns = [];
const labelsLoaded = fetch("/v1/labels")
  .then((response) => response.json())
  .then((taxonomy) => {
    for (const group of taxonomy.groups) {
      names.group[group.id] = group.name;
      names.marker[group.id] = group.marker;
    }
    for (const leaf of taxonomy.leaves) names.leaf[leaf.id] = leaf.name;
    for (const row of taxonomy.rows) names.row[row.id] = row.name;
    columns = taxonomy.columns;
  });

function labelName(id) {
  return names.leaf[id] || names.group[id] || id;
}

function rowName(id) {
  if (names.group[id]) return `${names.marker[id]}${names.group[id]}`;
  return names.leaf[id] || names.row[id] || id;
}

// A new element; strings among the children become text, never HTML.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function percent(score) {
  return `${Math.round(score * 100)}%`;
}

async function call(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function showBusy(region, message) {
  region.setAttribute("aria-busy", "true");
  region.replaceChildren(el("p", { className: "muted" }, message));
}

function showError(region, error) {
  region.removeAttribute("aria-busy");
  region.replaceChildren(el("p", { className: "error", role: "alert" }, `出错了：${error.message}`));
}

function show(region, ...nodes) {
  region.removeAttribute("aria-busy");
  region.replaceChildren(...nodes.filter((node) => node !== null));
}

// The text with every explanation term marked, longest terms first.
function highlighted(text, terms) {
  const paragraph = el("p", { className: "request-text" });
  const words = terms.map((item) => item.term).sort((a, b) => b.length - a.length);
  if (!words.length) {
    paragraph.append(text);
    return paragraph;
  }
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  for (const piece of text.split(new RegExp(`(${escaped.join("|")})`))) {
    paragraph.append(words.includes(piece) ? el("mark", {}, piece) : piece);
  }
  return paragraph;
}

function field(term, ...description) {
  return [el("dt", {}, term), el("dd", {}, ...description)];
}

// --- 申请分类 -------------------------------------------------------------------------

async function classifyRequest(event) {
  event.preventDefault();
  const region = document.getElementById("request-result");
  const text = document.getElementById("request-text").value.trim();
  if (!text) return;
  showBusy(region, "正在分类……");
  try {
    await labelsLoaded;
    const body = await call("/v1/classify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ task: "request", texts: [text], top_k: 3, explain: true }),
    });
    const result = body.results[0];
    const others = result.top
      .filter((item) => item.label !== result.label)
      .map((item) => `${labelName(item.label)} ${percent(item.score)}`)
      .join("；");
    show(
      region,
      el("dl", { className: "answer" },
        ...field("处理结果", el("strong", { id: "disposition" }, labelName(result.label))),
        ...field("所属类别", `${names.marker[result.group]}${labelName(result.group)}`),
        ...field("置信度", percent(result.score)),
        ...field("法律依据", result.legal_basis),
        ...field("其他可能", others || "无")),
      el("h3", {}, "判断依据的词语"),
      highlighted(text, result.explanation),
      el("p", { className: "muted" },
        `词语：${result.explanation.map((item) => item.term).join("、") || "无"}`),
      ...body.warnings.map((warning) => el("p", { className: "muted" }, warning)),
    );
  } catch (error) {
    showError(region, error);
  }
}

// --- 年报核查 -------------------------------------------------------------------------

// "row|column" keys of the 三 table cells that failing checks name.
function failingCells(checks) {
  const cells = new Set();
  for (const check of checks) {
    if (check.ok !== false) continue;
    for (const failure of check.values.failures || []) {
      if (failure.row && failure.column) cells.add(`${failure.row}|${failure.column}`);
      else if (failure.row) cells.add(`${failure.row}|total`);
      else if (failure.column && check.id === "identity") {
        for (const row of IDENTITY_ROWS) cells.add(`${row}|${failure.column}`);
      } else if (failure.column) cells.add(`total|${failure.column}`);
    }
  }
  return cells;
}

// Two header rows, as in the official table: 法人或其他组织 spans its five columns.
function tableHead() {
  const first = [el("th", { scope: "col", rowspan: "2" }, "项目")];
  const second = [];
  columns.forEach((column, i) => {
    if (!column.parent) {
      first.push(el("th", { scope: "col", rowspan: "2" }, column.name));
      return;
    }
    if (i === 0 || columns[i - 1].parent !== column.parent) {
      const span = columns.filter((other) => other.parent === column.parent).length;
      first.push(el("th", { scope: "colgroup", colspan: String(span) }, column.parent));
    }
    second.push(el("th", { scope: "col" }, column.name));
  });
  return el("thead", {}, el("tr", {}, ...first), el("tr", {}, ...second));
}

function requestsTable(table, checks) {
  const failing = failingCells(checks);
  const rows = Object.entries(table.rows).map(([rowId, cells]) => el("tr", {},
    el("th", { scope: "row", className: rowId.includes("/") ? "leaf" : "" }, rowName(rowId)),
    ...columns.map((column) => {
      const value = cells[column.id];
      const fails = failing.has(`${rowId}|${column.id}`);
      return el("td", fails ? { className: "fail", title: "核查不通过" } : {},
        value === null || value === undefined ? "" : String(value));
    })));
  return el("div", { className: "table-scroll" },
    el("table", { id: "requests-table" },
      el("caption", {}, "三、收到和处理政府信息公开申请情况"),
      tableHead(), el("tbody", {}, ...rows)));
}

function checkList(checks) {
  return el("ul", { className: "checks" }, ...checks.map((check) => {
    const verdict = check.ok === true ? "✓ 通过" : check.ok === false ? "✗ 不通过" : "— 无法核查";
    const state = check.ok === true ? "ok" : check.ok === false ? "fail" : "unknown";
    return el("li", { className: state },
      el("span", { className: "verdict" }, verdict), " ",
      el("strong", {}, CHECK_NAMES[check.id] || check.id),
      el("small", {}, check.message));
  }));
}

function paragraphList(paragraphs) {
  return el("ol", { className: "paragraphs" }, ...paragraphs.map((paragraph) => {
    const tags = paragraph.labels.map((label) =>
      el("span", { className: "tag" }, `${labelName(label)} ${percent(paragraph.scores[label])}`));
    const counts = Object.entries(paragraph.counts)
      .map(([row, value]) => `${rowName(row)} ${value} 件`).join("；");
    return el("li", {},
      el("p", {}, paragraph.section ? `〔${paragraph.section}〕 ` : "", paragraph.text),
      el("p", { className: "tags" }, ...(tags.length ? tags : [el("span", { className: "muted" }, "未提及处理结果")])),
      counts ? el("p", { className: "muted" }, `数字：${counts}`) : null);
  }));
}

async function checkReport(file) {
  const region = document.getElementById("report-result");
  showBusy(region, `正在读取 ${file.name}……`);
  const form = new FormData();
  form.append("file", file);
  try {
    await labelsLoaded;
    const report = await call("/v1/reports", { method: "POST", body: form });
    const failed = report.checks.filter((check) => check.ok === false).length;
    show(
      region,
      el("h3", {}, report.title || file.name),
      el("p", { className: "muted" },
        [report.agency, report.year && `${report.year}年`, report.template && `${report.template}年版模板`]
          .filter(Boolean).join(" · ")),
      el("p", { className: failed ? "summary fail" : "summary ok" },
        failed ? `${failed} 项核查不通过` : "统计表核查全部通过或无法核查"),
      checkList(report.checks),
      report.tables.requests.found ? requestsTable(report.tables.requests, report.checks)
        : el("p", {}, "未找到统计表（三）。"),
      report.warnings.length ? el("details", {}, el("summary", {}, `读取提示（${report.warnings.length}）`),
        el("ul", {}, ...report.warnings.map((warning) => el("li", {}, warning)))) : null,
      el("h3", {}, "段落标签"),
      paragraphList(report.paragraphs),
    );
  } catch (error) {
    showError(region, error);
  }
}

function setUpDropZone() {
  const zone = document.getElementById("drop-zone");
  const input = document.getElementById("report-file");
  input.addEventListener("change", () => input.files.length && checkReport(input.files[0]));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    if (event.dataTransfer.files.length) checkReport(event.dataTransfer.files[0]);
  });
}

document.getElementById("request-form").addEventListener("submit", classifyRequest);
setUpDropZone();
