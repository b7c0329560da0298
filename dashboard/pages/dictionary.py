"""数据字典: every table, view and column with its COMMENT ON text, as DuckDB holds it."""

import pandas as pd
import streamlit as st

from dashboard import data, ui
from dashboard import format as fmt

status = data.status()
ui.header("数据字典", caption="说明取自数据库中的 COMMENT ON 文本（duckdb_tables、duckdb_views、duckdb_columns），"
                             "与 sql/ 中的定义一致。金额单位为元，比率为百分点。")
ui.guard(status)

objects = data.dictionary()
search = st.text_input("查找（表名、字段名或说明）", key="dict_search", placeholder="如 执行率 或 procurement")
kinds = st.segmented_control("类型", ["表", "视图"], selection_mode="multi", default=["表", "视图"], key="dict_kinds")

rows = []
for obj in objects:
    kind = "视图" if obj["kind"] == "view" else "表"
    for c in obj["columns"]:
        rows.append({"对象": obj["name"], "类型": kind, "字段": c["name"], "数据类型": c["type"],
                     "说明": c["comment"] or ""})
everything = pd.DataFrame(rows, columns=["对象", "类型", "字段", "数据类型", "说明"])

needle = (search or "").strip().lower()
shown_objects = 0
for obj in objects:
    kind = "视图" if obj["kind"] == "view" else "表"
    if kind not in (kinds or []):
        continue
    cols = pd.DataFrame(obj["columns"], columns=["name", "type", "comment"])
    hit_obj = not needle or needle in obj["name"].lower() or needle in (obj["comment"] or "").lower()
    if needle and not hit_obj:
        cols = cols[cols["name"].str.lower().str.contains(needle, regex=False)
                    | cols["comment"].fillna("").str.lower().str.contains(needle, regex=False)]
        if cols.empty:
            continue
    shown_objects += 1
    summary = (obj["comment"] or "").split("：")[0].split("。")[0]
    with st.expander(f"**{obj['name']}**　{summary}　·　{kind} · {len(obj['columns'])} 列", expanded=bool(needle)):
        st.markdown(obj["comment"] or "（无说明）")
        st.dataframe(cols.rename(columns={"name": "字段", "type": "数据类型", "comment": "说明"}), hide_index=True,
                     key=f"dict_{obj['name']}", placeholder=fmt.MISSING)
if shown_objects == 0:
    st.info("没有匹配的表或字段。", icon=":material/search_off:")

st.subheader("下载完整数据字典")
ui.downloads(everything, "dictionary", "数据字典")
