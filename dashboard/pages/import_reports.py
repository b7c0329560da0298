"""导入报告: upload report files, check what was read before loading, load with progress.

The files are parsed here with the loader only to preview them, each in a child process with a
time and a memory limit (loaders.sandbox.parse_bounded: an upload is untrusted, and the per-file
time limit of the readers cannot work in the thread a page runs in); the
load itself saves them under data/uploads/ and runs the warehouse's loader on the saved files,
which swaps a new warehouse file in. The data module notices the new version, so every page
shows the new reports at its next run, without a restart.
"""

import hashlib

import pandas as pd
import streamlit as st

from dashboard import auth, data, ui
from dashboard import format as fmt
from loaders.sandbox import parse_bounded

auth.require("import")


@st.cache_data(show_spinner=False, max_entries=64)
def preview(name: str, payload: bytes) -> dict:
    """What the loader reads in one file: status, family, evaluations and their flags."""
    sha = hashlib.sha256(payload).hexdigest()
    result, error = parse_bounded(payload, name)  # never raises for a bad file
    if error is not None:
        return {"name": name, "sha256": sha, "status": "failed", "error": error, "evaluations": []}
    evaluations = []
    for ev in result.evaluations:
        evaluations.append({
            "unit_name": ev.unit.name, "province": ev.unit.province, "city": ev.unit.city, "county": ev.unit.county,
            "fiscal_year": ev.fiscal_year, "report_kind": ev.report_kind, "project_name": ev.project_name,
            "evaluation_mode": ev.evaluation_mode, "total_score": ev.total_score, "grade": ev.grade,
            "metrics": len(ev.metrics), "indicators": len(ev.indicators), "satisfaction": len(ev.satisfaction),
            "findings": len(ev.findings), "is_demo": result.source.is_demo,
            "document_kind": getattr(ev, "document_kind", None) or "evaluation",
            "flags": [{"severity": q.severity, "code": q.code, "message": q.message, "line": q.line}
                      for q in ev.quality_flags],
        })
    return {"name": name, "sha256": sha, "status": "ok" if evaluations else "unrecognized",
            "error": result.error, "family": result.source.family, "format": result.source.format,
            "lines": result.source.line_count, "messages": list(result.messages), "evaluations": evaluations}


status = data.status()
ui.header("导入报告", caption="支持 .txt / .docx / .xlsx / .pdf。先看解析结果和质量标记，再载入数据仓库；"
                            "同一文件重复载入不会重复入库，修改过的报告成为新版本。")
if not status.ok:
    st.info("数据仓库目前为空。上传报告并载入后即可使用各页面。", icon=":material/inbox:")

uploads = st.file_uploader("选择报告文件（可多选）", type=["txt", "docx", "xlsx", "pdf"], accept_multiple_files=True,
                           key="uploads")
if not uploads:
    st.caption("也可以在命令行批量载入：`.venv/bin/python -m loaders load 文件或文件夹`")
    st.stop()

bar = st.progress(0.0, text="正在解析…")
previews = []
for i, up in enumerate(uploads):
    bar.progress(i / len(uploads), text=f"正在解析 {up.name}（{i + 1}/{len(uploads)}）")
    previews.append(preview(up.name, up.getvalue()))
bar.progress(1.0, text=f"已解析 {len(uploads)} 个文件")
known = data.known_files(tuple(p["sha256"] for p in previews))

ok = [p for p in previews if p["status"] == "ok"]


def other_kinds(p: dict) -> list[str]:
    """The kinds of a parsed file's documents that are not evaluations (决算公开页 …), in order."""
    return list(dict.fromkeys(ev["document_kind"] for ev in p["evaluations"] if not fmt.is_evaluation(ev["document_kind"])))


others = [p for p in ok if other_kinds(p) and len(other_kinds(p)) == len({ev["document_kind"] for ev in p["evaluations"]})]
c = st.columns(5)
c[0].metric("文件", len(previews), border=True)
c[1].metric("识别出评价", len(ok) - len(others), border=True)
c[2].metric("非评价文件", len(others), border=True,
            help="决算公开页、预算公开页、评分标准等：载入并保留单位、年度和金额，但不参与得分比较")
c[3].metric("未识别或失败", len(previews) - len(ok), border=True)
c[4].metric("已在仓库中", sum(1 for p in previews if known.get(p["sha256"]) == "ok"), border=True)

rows = []
for p in previews:
    state, icon = {"ok": ("已识别", ":material/check_circle:"), "unrecognized": ("未识别", ":material/help:"),
                   "failed": ("失败", ":material/error:")}[p["status"]]
    if p["status"] == "ok" and other_kinds(p):
        state = "、".join(fmt.document_kind_label(k) for k in other_kinds(p))
        icon = ":material/description:"
    if known.get(p["sha256"]) == "ok":
        state += "（仓库中已有，载入时跳过）"
    with st.expander(f"{state}　{p['name']}", expanded=p["status"] != "ok" or len(previews) <= 3, icon=icon):
        if p["status"] != "ok":
            st.error(fmt.user_message(p["error"]), icon=":material/error:")
        else:
            st.caption(f"格式 {str(p['format']).upper()} · 模板：{fmt.family_label(p['family'])} · {p['lines']} 行")
        for note in p.get("messages") or []:
            st.caption(f"读取提示：{fmt.user_message(note)}")
        for ev in p["evaluations"]:
            kind = fmt.kind_label(ev["report_kind"]) + (f"：{ev['project_name']}" if ev["project_name"] else "")
            if not fmt.is_evaluation(ev["document_kind"]):
                kind = f"**{fmt.document_kind_label(ev['document_kind'])}**（不参与得分比较）"
            region = " ".join(x for x in (ev["province"], ev["city"], ev["county"]) if x) or "地区未识别"
            demo = f"〔{fmt.DEMO_BADGE}〕" if ev["is_demo"] else ""
            scored = (f"　{fmt.mode_label(ev['evaluation_mode'])}　总分 {fmt.score(ev['total_score'])}　"
                      f"等次 {ev['grade'] or fmt.MISSING}") if fmt.is_evaluation(ev["document_kind"]) else ""
            st.markdown(f"**{ev['unit_name'] or '单位未识别'}**{demo}　{region}　{ev['fiscal_year'] or '年度未识别'}年　{kind}"
                        + scored)
            st.caption(f"关键数值 {ev['metrics']} 项 · 指标 {ev['indicators']} 行 · 满意度 {ev['satisfaction']} 个 · "
                       f"问题与建议 {ev['findings']} 条 · 质量标记 {len(ev['flags'])} 条")
            if ev["flags"]:
                st.dataframe(fmt.for_display(pd.DataFrame(ev["flags"])), hide_index=True, placeholder=fmt.MISSING)
            rows.append({"file": p["name"], **{k: v for k, v in ev.items() if k != "flags"},
                         "flag_count": len(ev["flags"])})

if rows:
    st.subheader("将要载入的评价与其他文件")
    ui.table(pd.DataFrame(rows), "upload_preview", "导入预览", columns=[
        "file", "document_kind", "unit_name", "province", "city", "county", "fiscal_year", "report_kind", "project_name",
        "evaluation_mode", "total_score", "grade", "indicators", "flag_count", "is_demo"])

if st.button(f"载入数据仓库（{len(previews)} 个文件）", type="primary", key="load_button", icon=":material/upload:"):
    saved = [data.save_upload(up.name, up.getvalue()) for up in uploads]
    load_bar = st.progress(0.0, text="正在载入…")

    def step(done: int, total: int) -> None:
        # One atomic load: the bar follows the files, then the new warehouse is written at once.
        text = f"正在载入（{done}/{total}）" if done < total else f"已读取 {total} 个文件，正在写入数据仓库…"
        load_bar.progress(done / total if total else 1.0, text=text)

    with st.spinner("正在写入数据仓库…"):
        summary = data.load_files(saved, progress=step)
    load_bar.progress(1.0, text=f"已载入 {len(saved)} 个文件")
    st.session_state["_load_reports"] = [fmt.load_summary_lines(summary)]
    new = summary.new + summary.revised
    failed = summary.failed + summary.unrecognized
    if failed:
        st.warning(f"载入完成：新增或修订 {new} 个文件，{failed} 个失败或未识别（原因见下）。", icon=":material/warning:")
    else:
        st.success(f"载入完成：新增或修订 {new} 个文件。各页面刷新后即显示新报告。", icon=":material/check_circle:")
    st.page_link("dashboard/pages/overview.py", label="前往总览", icon=":material/dashboard:")

for report in st.session_state.get("_load_reports", []):  # in Chinese, file names only (no server path)
    st.text("\n".join(report))
