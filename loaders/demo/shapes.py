"""What happens to a report between its writer and a crawler: shapes laid over a rendered text,
each with the change it makes to the expected answers (line numbers move; texts a shape rewrites
are rewritten in the answers too, except where it garbles on purpose).

- site_header: the page furniture of the site the text was taken from, after the marker line
  (a government CMS block with 索引号 / 发布机构 / 发文日期, a 发布时间 / 信息来源 / 阅读次数 line, or a
  document-sharing site's 资源ID / 资源大小 / 全文页数 / 下载积分): numbers that are not the report's;
- two_docs: two documents in one text (realdev 022): the tail of another project's indicator
  table, unnamed, in front of the report (its rows belong to no expected evaluation), or a second
  complete report after the first (two expected evaluations);
- traditional: the whole text in traditional characters (realdev 002, 008, 010), by OpenCC's
  s2t; the answers' texts are converted alike (as written; scorers compare after t2s);
- ocr: OCR misreads of one scan, applied to every occurrence (realdev 015, 018, 030; unseen u23):
  ≥ before a percentage of 50 or more read as 2 (≥95% → 295%), ≤ read as W, × as X, and per
  document some of 万元 → 万兀, 预算 → 预箅, full-width colons and brackets → half-width. Targets,
  actuals and names in the answers stay as the writer meant them (a reader is expected to repair
  the misreads); a metric's `raw` is the misread text, as the file has it.

The marker line stays first and untouched.
"""

from __future__ import annotations

import re
from functools import lru_cache

SHAPES = ("site_header", "two_docs", "traditional", "ocr")


def _shift(answers, at: int, by: int) -> None:
    for a in answers:
        a.move_lines(lambda n: n if n < at else n + by)


def site_header(lines: list[str], answers, rng, issuer, year: int) -> list[str]:
    month, day = rng.randint(3, 9), rng.randint(1, 28)
    date = f"{year + 1}-{month:02d}-{day:02d}"
    kind = rng.random()
    if kind < 0.4:
        header = [
            "首页",
            ">政府信息公开>法定主动公开内容>预算决算>部门预算决算",
            f"索引号: {rng.randint(10**11, 10**12 - 1)}K/{year + 1}-{rng.randint(100, 99999):05d} 公开方式: 主动公开",
            f"发布机构: {issuer.name} 组配分类: 预算决算",
            f"文件编号: 发文日期: {date}",
            f"信息来源: {issuer.short} 发布日期: {date} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 浏览次数: {rng.randint(20, 900)}",
            "",
        ]
    elif kind < 0.75:
        header = [
            "",
            f"发布时间:{date} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d} 信息来源:{issuer.short} 阅读次数:{rng.randint(10, 500)}",
            "字号: 打印",
        ]
    else:
        # a document-sharing site names the page after the document's own title
        titles = [t.strip() for t in lines[1:] if t.strip()]
        title = next((t for t in titles if re.search(r"报告|决算|自评表|评价表", t) and len(t) < 60), titles[0] if titles else "")
        name = re.sub(r"[\s|]+", "", title)[:50] + ".docx"
        header = [
            name, "-", f"资源ID:{rng.randint(10**7, 10**8 - 1)}", f"资源大小:{rng.randint(10, 90)}.{rng.randint(10, 99)}KB",
            f"全文页数:{rng.randint(2, 30)}页", "- 资源格式: DOCX", f"下载积分:{rng.randint(5, 30)}金币", "|", "",
        ]
    _shift(answers, 2, len(header))
    return lines[:1] + header + lines[1:]


# --- two documents in one text ----------------------------------------------------------------


def table_tail(lines: list[str], answers, rng, project) -> list[str]:
    """The end of another project's pipe-row indicator table before the report (realdev 022)."""
    sustain = project.sustain[0]
    target = rng.choice((85, 90, 95))
    tail = [
        f"可持续影响 指标 | {sustain} | {rng.choice(('良', '长期', '持续'))} | {rng.choice(('良', '长期', '持续'))} |",
        "| |",
        f"满意 度指标 | 满意度 指标 | 服务对象满意度 | ≥{target}% | ≥{target + rng.randint(0, 5)}% |",
        "|",
    ]
    _shift(answers, 2, len(tail))
    return lines[:1] + tail + lines[1:]


# --- traditional characters -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


def traditional(lines: list[str], answers) -> list[str]:
    body = to_traditional("\n".join(lines[1:])).split("\n")
    for a in answers:
        a.map_text(to_traditional)
    return lines[:1] + body


# --- OCR ----------------------------------------------------------------------------------------

_GE_PERCENT = re.compile(r"≥(?=(?:[5-9]\d|100)(?:\.\d+)?%)")
_OPTIONAL = (("万元", "万兀"), ("预算", "预箅"), ("：", ":"), ("（", "("), ("）", ")"))


def ocr_reader(rng):
    """One scan's misreads: a function over text, the same at every occurrence."""
    chosen = [pair for pair in _OPTIONAL if rng.random() < 0.5]
    if ("（", "(") in chosen and ("）", ")") not in chosen:
        chosen.append(("）", ")"))

    def read(text: str) -> str:
        text = _GE_PERCENT.sub("2", text).replace("≤", "W").replace("×", "X")
        for a, b in chosen:
            text = text.replace(a, b)
        return text

    return read


def ocr(lines: list[str], answers, rng) -> list[str]:
    read = ocr_reader(rng)
    for a in answers:
        for m in a.metrics.values():
            m.raw = read(m.raw)
    return lines[:1] + [read(line) for line in lines[1:]]
