"""总览 (placeholder until the dashboard lands): how many reports the warehouse holds."""

import os

import duckdb
import streamlit as st

st.title("工会绩效评价看板")
db = os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb")
if not os.path.exists(db):
    st.info("数据仓库为空。请先运行 `python -m loaders load data/reports` 导入报告。")
else:
    con = duckdb.connect(db, read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM evaluation").fetchone()[0]
        st.metric("已载入的评价", n)
    except duckdb.Error:
        st.info("数据仓库尚未建立表结构。")
    finally:
        con.close()
