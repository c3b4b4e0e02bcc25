"use strict";

// The page is Chinese: every API message comes back in Chinese whatever the browser prefers.
const API_HEADERS = { "Accept-Language": "zh-CN" };
// Chinese names of the reader's arithmetic checks (勾稽关系), as in gongkai.messages.
const CHECK_NAMES = {
  identity: "新收 + 上年结转 = 总计 + 结转下年度",
  outcome_sum: "(七)总计 = 各处理结果之和",
  group_sum: "小计 = 分项之和",
  column_sum: "总计列 = 六类申请人之和",
  review_litigation_sum: "复议、诉讼总计 = 四项结果之和",
  narrative: "正文数字与统计表一致",
};
// Rows the identity check compares, column by column.
const IDENTITY_ROWS = ["new_received", "carried_over", "total", "carried_forward"];
const ARTICLE = /第[一二三四五六七八九十百]+条/g;

const names = { leaf: {}, group: {}, marker: {}, row: {}, article: {} };
let articles = {};
let columns = [];
const leafOrder = [];
const labelsLoaded = fetch("/v1/labels", { headers: API_HEADERS })
  .then((response) => response.json())
  .then((taxonomy) => {
    for (const group of taxonomy.groups) {
      names.group[group.id] = group.name;
      names.marker[group.id] = group.marker;
    }
    for (const leaf of taxonomy.leaves) {
      names.leaf[leaf.id] = leaf.name;
      names.article[leaf.id] = leaf.article;
      leafOrder.push(leaf);
    }
    for (const row of taxonomy.rows) names.row[row.id] = row.name;
    articles = taxonomy.articles || {};
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
  const response = await fetch(url, { ...options, headers: { ...API_HEADERS, ...options.headers } });
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

// Where `fragment` occurs in `text`, as [start, end) offsets of `text`. The reader and the
// models quote normalised text (NFKC, lower case), so `text` is compared in that form one
// character at a time, and the match is mapped back onto the characters shown.
function occurrences(text, fragment) {
  const spans = [];
  let flat = "";
  let offset = 0;
  for (const char of text) {
    const form = char.normalize("NFKC").toLowerCase();
    for (let i = 0; i < form.length; i++) spans.push([offset, offset + char.length]);
    flat += form;
    offset += char.length;
  }
  const wanted = fragment.normalize("NFKC").toLowerCase();
  const found = [];
  for (let at = flat.indexOf(wanted); wanted && at >= 0; at = flat.indexOf(wanted, at + 1)) {
    found.push([spans[at][0], spans[at + wanted.length - 1][1]]);
  }
  return found;
}

// `text` with every occurrence of the fragments marked, longer fragments first.
function marked(tag, text, fragments, attributes = {}) {
  const node = el(tag, attributes);
  const taken = [];
  const sorted = [...new Set(fragments)].filter(Boolean).sort((a, b) => b.length - a.length);
  for (const fragment of sorted) {
    for (const [start, end] of occurrences(text, fragment)) {
      if (taken.every(([s, e]) => end <= s || start >= e)) taken.push([start, end]);
    }
  }
  taken.sort((a, b) => a[0] - b[0]);
  let position = 0;
  for (const [start, end] of taken) {
    node.append(text.slice(position, start), el("mark", {}, text.slice(start, end)));
    position = end;
  }
  node.append(text.slice(position));
  return node;
}

function field(term, ...description) {
  return [el("dt", {}, term), el("dd", {}, ...description)];
}

// A button that copies `text()` to the clipboard and says so; works without HTTPS too.
function copyButton(text) {
  const status = el("span", { className: "copy-status", role: "status" });
  const button = el("button", { type: "button", className: "copy" }, "复制结果");
  button.addEventListener("click", async () => {
    const content = text();
    try {
      await navigator.clipboard.writeText(content);
    } catch {
      const area = el("textarea", { className: "visually-hidden", "aria-hidden": "true" });
      area.value = content;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    status.textContent = "已复制";
  });
  return el("p", { className: "copy-row" }, button, " ", status);
}

// --- 申请分类 -------------------------------------------------------------------------

// Every article of the 条例 the legal basis cites, with what it provides; the leaf's own first.
function articleList(label, basis) {
  const cited = [names.article[label], ...(basis.match(ARTICLE) || [])];
  const known = [...new Set(cited)].filter((article) => article && articles[article]);
  if (!known.length) return null;
  return el("ul", { className: "articles" }, ...known.map((article) =>
    el("li", {}, el("strong", {}, article), `：${articles[article]}`)));
}

function recordNotice(result) {
  if (!result.needs_record) return null;
  const best = result.text_label;
  return el("div", { className: "needs-record", role: "note" },
    el("p", {}, el("strong", {}, "需要办理记录："), result.question || ""),
    best ? el("p", {}, `仅凭申请文本：${labelName(best.label)} ${percent(best.score)}`) : null,
    el("p", { className: "muted" }, "把案卷里的办理情况填进「办理记录」再分类，结果会更可靠。"));
}

function requestText(result, text, record) {
  const lines = [
    `处理结果：${labelName(result.label)}（${result.label}）`,
    `所属类别：${names.marker[result.group]}${labelName(result.group)}`,
    `置信度：${percent(result.score)}`,
    `法律依据：${result.legal_basis}`,
  ];
  const article = names.article[result.label];
  if (article && articles[article]) lines.push(`${article}：${articles[article]}`);
  if (result.needs_record) lines.push(`需要办理记录：${result.question}`);
  lines.push(`申请内容：${text}`);
  if (record) lines.push(`办理记录：${record}`);
  return lines.join("\n");
}

// "结果不对": the officer picks the right disposition; it goes to the corrections store.
function feedbackForm(result, text, record) {
  const select = el("select", { id: "feedback-label", required: "" });
  let group = null;
  for (const leaf of leafOrder) {
    if (!group || group.dataset.group !== leaf.group) {
      group = el("optgroup", { label: `${names.marker[leaf.group]}${names.group[leaf.group]}` });
      group.dataset.group = leaf.group;
      select.append(group);
    }
    const option = el("option", { value: leaf.id }, `${leaf.name}（${leaf.id}）`);
    if (leaf.id === result.label) option.selected = true;
    group.append(option);
  }
  const note = el("input", { id: "feedback-note", maxlength: "2000", placeholder: "备注（可不填）" });
  const token = el("input", { id: "feedback-token", type: "password", autocomplete: "off",
                              value: sessionStorage.getItem("gongkai-token") || "" });
  const status = el("p", { className: "muted", role: "status" });
  const form = el("form", { className: "feedback", hidden: "" },
    el("label", { for: "feedback-label" }, "正确的处理结果"), select,
    el("label", { for: "feedback-note" }, "备注"), note,
    el("label", { for: "feedback-token" }, "接口令牌"), token,
    el("button", { type: "submit" }, "提交更正"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    sessionStorage.setItem("gongkai-token", token.value);
    try {
      await call("/v1/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token.value}` },
        body: JSON.stringify({ task: "request", text, record: record || null,
                               label: select.value, note: note.value }),
      });
      status.textContent = "已记录更正，下次训练模型时会用到。";
    } catch (error) {
      status.textContent = `未能记录：${error.message}`;
    }
  });
  const open = el("button", { type: "button", className: "secondary" }, "结果不对");
  open.addEventListener("click", () => { form.hidden = false; select.focus(); });
  return el("div", {}, open, form);
}

async function classifyRequest(event) {
  event.preventDefault();
  const region = document.getElementById("request-result");
  const text = document.getElementById("request-text").value.trim();
  const record = document.getElementById("request-record").value.trim();
  if (!text) return;
  showBusy(region, "正在分类……");
  try {
    await labelsLoaded;
    const body = await call("/v1/classify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        task: "request", items: [{ text, record: record || null }], top_k: 3, explain: true,
      }),
    });
    const result = body.results[0];
    const others = result.top
      .filter((item) => item.label !== result.label)
      .map((item) => `${labelName(item.label)} ${percent(item.score)}`)
      .join("；");
    const terms = result.explanation.map((item) => item.term);
    show(
      region,
      recordNotice(result),
      el("dl", { className: "answer" },
        ...field("处理结果", el("strong", { id: "disposition" }, labelName(result.label))),
        ...field("所属类别", `${names.marker[result.group]}${labelName(result.group)}`),
        ...field("置信度", percent(result.score)),
        ...field("法律依据", el("span", { id: "legal-basis" }, result.legal_basis),
          articleList(result.label, result.legal_basis)),
        ...field("其他可能", others || "无")),
      el("h3", {}, "判断依据的词语"),
      marked("p", text, terms, { className: "request-text" }),
      el("p", { className: "muted" }, `词语：${terms.join("、") || "无"}`),
      ...body.warnings.map((warning) => el("p", { className: "muted" }, warning)),
      copyButton(() => requestText(result, text, record)),
      feedbackForm(result, text, record),
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

// The sentences narrative failures quote, to be marked in the paragraphs.
function contradictions(checks) {
  return checks.filter((check) => check.ok === false)
    .flatMap((check) => (check.values.failures || []).map((failure) => failure.text))
    .filter(Boolean);
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
        value === null || value === undefined ? "" : String(value),
        fails ? el("span", { className: "visually-hidden" }, "（核查不通过）") : null);
    })));
  const caption = "三、收到和处理政府信息公开申请情况";
  return el("div", { className: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    el("table", { id: "requests-table" },
      el("caption", {}, caption), tableHead(), el("tbody", {}, ...rows)));
}

function verdict(check) {
  if (check.ok === true) return ["ok", "✓ 通过"];
  if (check.ok === false) return ["fail", "✗ 不通过"];
  return ["unknown", "— 无法核查"];
}

function checkList(checks) {
  return el("ul", { className: "checks" }, ...checks.map((check) => {
    const [state, label] = verdict(check);
    const details = check.details || [];
    return el("li", { className: state },
      el("span", { className: "verdict" }, label), " ",
      el("strong", {}, CHECK_NAMES[check.id] || check.id),
      details.length ? el("ul", { className: "details" }, ...details.map((line) => el("li", {}, line)))
        : null);
  }));
}

function paragraphList(paragraphs, quoted) {
  return el("ol", { className: "paragraphs" }, ...paragraphs.map((paragraph) => {
    const tags = paragraph.labels.map((label) =>
      el("span", { className: "tag" }, `${labelName(label)} ${percent(paragraph.scores[label])}`));
    const counts = Object.entries(paragraph.counts)
      .map(([row, value]) => `${rowName(row)} ${value} 件`).join("；");
    const hits = quoted.filter((sentence) => occurrences(paragraph.text, sentence).length);
    return el("li", hits.length ? { className: "contradiction" } : {},
      marked("p", `${paragraph.section ? `〔${paragraph.section}〕 ` : ""}${paragraph.text}`, hits),
      el("p", { className: "tags" }, ...(tags.length ? tags : [el("span", { className: "muted" }, "未提及处理结果")])),
      counts ? el("p", { className: "muted" }, `数字：${counts}`) : null);
  }));
}

function reportText(report, failed) {
  const lines = [report.title || report.source, failed ? `${failed} 项核查不通过` : "统计表核查全部通过或无法核查"];
  for (const check of report.checks) {
    lines.push(`${verdict(check)[1]} ${CHECK_NAMES[check.id] || check.id}`);
    for (const detail of check.details || []) lines.push(`  · ${detail}`);
  }
  return lines.join("\n");
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
      copyButton(() => reportText(report, failed)),
      report.tables.requests.found ? requestsTable(report.tables.requests, report.checks)
        : el("p", {}, "未找到统计表（三）。"),
      report.warnings.length ? el("details", {}, el("summary", {}, `读取提示（${report.warnings.length}）`),
        el("ul", {}, ...report.warnings.map((warning) => el("li", {}, warning)))) : null,
      el("h3", {}, "段落标签"),
      paragraphList(report.paragraphs, contradictions(report.checks)),
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
