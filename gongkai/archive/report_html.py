"""``summary.html``: the summary of an archive as one self-contained page (tables, and the
charts inlined as PNG data), so that an officer can send it by e-mail and it opens in any
browser without the files around it."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

import pandas as pd

from gongkai.messages import Lang, say
from gongkai.taxonomy import Taxonomy

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
  "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  color: #1f2328; line-height: 1.6; margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { color: #9b1c1c; font-size: 1.5rem; }
h2 { border-top: 2px solid #9b1c1c; font-size: 1.2rem; padding-top: .5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .2rem .5rem; }
th { background: #f6f8fa; text-align: left; }
td.number { text-align: right; }
td.fail { color: #b42318; }
img { height: auto; max-width: 100%; }
"""


def _cell(value: object, number: bool = False, fail: bool = False) -> str:
    shown = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    classes = " ".join(name for name, on in (("number", number), ("fail", fail)) if on)
    attribute = f' class="{classes}"' if classes else ""
    return f"<td{attribute}>{escape(str(shown))}</td>"


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    return (f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _failed_checks(record: dict, lang: Lang) -> list[str]:
    ids = [check for check in str(record["arithmetic_failures"] or "").split(";") if check]
    if record["narrative_contradiction"]:
        ids.append("narrative")
    return [say(f"check.{check}", lang) for check in ids]


def _by_agency(wide: pd.DataFrame, taxonomy: Taxonomy, lang: Lang) -> str:
    volumes = ["received", "carried_over", "disposed", "carried_forward"]
    groups = taxonomy.group_ids
    headers = [say("header.agency", lang), say("header.year", lang),
               *(say(f"header.{column}", lang) for column in volumes),
               *(say("header.share_of", lang, label=group) for group in groups),
               say("header.arithmetic_failures", lang)]
    rows = []
    for record in wide.sort_values(["agency", "year"]).to_dict("records"):
        failed = _failed_checks(record, lang)
        shares = [_cell(None if pd.isna(record[f"share_{g}"]) else f"{record[f'share_{g}']:.1%}",
                        number=True) for g in groups]
        rows.append("<tr>" + _cell(record["agency"]) + _cell(record["year"])
                    + "".join(_cell(record[column], number=True) for column in volumes)
                    + "".join(shares)
                    + _cell("；".join(failed) if lang == "zh" else "; ".join(failed),
                            fail=bool(failed)) + "</tr>")
    return _table(headers, rows)


def _outliers(outliers: pd.DataFrame, taxonomy: Taxonomy, lang: Lang) -> str:
    if outliers.empty:
        return f"<p>{escape(say('html.none', lang))}</p>"
    names = {"received": say("header.received", lang)} | {
        f"share_{group}": say("header.share_of", lang, label=group)
        for group in taxonomy.group_ids}
    columns = ["agency", "measure", "year_before", "year", "before", "after", "change"]
    rows = []
    for record in outliers.to_dict("records"):
        share = str(record["measure"]).startswith("share_")
        shown = {**record, "measure": names.get(record["measure"], record["measure"])}
        if share:
            shown |= {key: f"{record[key]:.1%}" for key in ("before", "after")}
        rows.append("<tr>" + "".join(_cell(shown[column], number=column in (
            "before", "after", "change")) for column in columns) + "</tr>")
    return _table([say(f"header.{column}", lang) for column in columns], rows)


def _image(path: Path, title: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{escape(title)}"></figure>'


def write_html(path: Path, wide: pd.DataFrame, outliers: pd.DataFrame, charts: list[Path],
               taxonomy: Taxonomy, lang: Lang, ratio: float) -> Path:
    """Write the page and return its path; ``charts`` are the PNG files to inline (groups
    by year, checks by year), ``ratio`` the year-on-year change that makes an outlier."""
    title = say("html.title", lang)
    scope = say("html.scope", lang, reports=int(wide["reports"].sum()),
                agencies=wide["agency"].nunique(),
                first=wide["year"].min(), last=wide["year"].max())
    images = "".join(_image(chart, say(key, lang))
                     for chart, key in zip(charts, ("chart.groups", "chart.checks"), strict=True))
    html_lang = "zh-CN" if lang == "zh" else "en"
    page = (f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
            f"<h1>{escape(title)}</h1><p>{escape(scope)}</p>"
            f"<h2>{escape(say('html.by_agency', lang))}</h2>{_by_agency(wide, taxonomy, lang)}"
            f"<h2>{escape(say('html.outliers', lang, ratio=f'{ratio:g}'))}</h2>"
            f"{_outliers(outliers, taxonomy, lang)}"
            f"<h2>{escape(say('html.charts', lang))}</h2>{images}</main></body></html>\n")
    path.write_text(page, encoding="utf-8")
    return path
