"""SQL 查询: run read-only SQL on the safe connection, browse the schema, download the result."""

import streamlit as st

from dashboard import auth, data, ui
from dashboard import format as fmt

EXAMPLES = {
    "各年度各省的报告数与平均分": """SELECT fiscal_year AS 年度, province AS 省, count(*) AS 报告数,
       round(avg(total_score), 2) AS 平均总分
FROM v_evaluation
GROUP BY ALL
ORDER BY 年度 DESC, 报告数 DESC""",
    "政府采购执行率低于 80% 的报告": """SELECT unit_name AS 单位, fiscal_year AS 年度, procurement_budget_yuan / 10000 AS 采购预算_万元,
       procurement_actual_yuan / 10000 AS 实际采购_万元, round(procurement_exec_pct, 2) AS 执行率_pct, exec_band AS 区间
FROM v_procurement_execution
WHERE procurement_exec_pct < 80
ORDER BY procurement_exec_pct""",
    "报告执行率与复算不一致": """SELECT unit_name, fiscal_year, budget_exec_pct_stated, budget_exec_pct_recomputed, budget_exec_pct_diff
FROM v_budget_execution
WHERE NOT rates_agree
ORDER BY abs(budget_exec_pct_diff) DESC""",
    "失分最多的指标": """SELECT coalesce(level3, level2, level1) AS 指标, dimension AS 维度,
       count(*) AS 失分次数, sum(points_lost) AS 合计失分
FROM v_indicator_losses
GROUP BY ALL
ORDER BY 合计失分 DESC
LIMIT 20""",
    "错误级质量标记": """SELECT unit_name, fiscal_year, code, message, line
FROM v_quality_flags
WHERE severity = 'error'
ORDER BY fiscal_year DESC, unit_name""",
    "满意度分布（全国，按年度）": """SELECT fiscal_year, n, median_pct, p10_pct, p90_pct, share_below_90_pct
FROM v_satisfaction_distribution
WHERE region_level = 'national' AND report_kind = 'all' AND evaluation_mode = 'all' AND NOT is_demo
ORDER BY fiscal_year""",
}

auth.require("sql")
status = data.status()
ui.header("SQL 查询", caption="只读连接：只允许一条 SELECT 语句；不能读写文件、访问网络或修改设置；"
                             "每条查询在独立进程中运行，超过 10 秒或 1 GB 内存自动停止，最多返回 10,000 行。"
                             "金额为元，比率为百分点。")
ui.guard(status)
data.warm_sql()

left, right = st.columns([3, 1])
with right:
    st.markdown("**表结构**")
    objects = data.dictionary()
    search = st.text_input("查找表或字段", key="schema_search", placeholder="如 procurement")
    browser = st.container(height=720, key="schema_browser")
    for obj in objects:
        cols = obj["columns"]
        if search and search.lower() not in obj["name"].lower() and not any(
                search.lower() in c["name"].lower() for c in cols):
            continue
        kind = "视图" if obj["kind"] == "view" else "表"
        with browser.expander(f"{obj['name']}　{(obj['comment'] or '').split('：')[0].split('。')[0]}"):
            st.caption(f"{kind}，{len(cols)} 列。" + (obj["comment"] or "").split("。")[0])
            st.markdown("\n".join(f"- `{c['name']}` {c['type']}" for c in cols))

with left:
    example = st.selectbox("示例查询", list(EXAMPLES), index=None, placeholder="选择一个示例填入编辑框",
                           key="sql_example")
    if example and st.session_state.get("_sql_example_used") != example:
        st.session_state["sql_text"] = EXAMPLES[example]
        st.session_state["_sql_example_used"] = example
    sql = st.text_area("SQL", key="sql_text", height=220,
                       placeholder="SELECT * FROM v_evaluation LIMIT 100")
    run = st.button("运行查询", type="primary", key="sql_run", icon=":material/play_arrow:")

    if run:
        outcome = data.run_user_sql(sql)
        st.session_state["_sql_outcome"] = outcome
    outcome = st.session_state.get("_sql_outcome")
    if outcome is not None:
        if outcome.error:
            if outcome.timed_out:
                st.warning(outcome.error, icon=":material/timer_off:")
            else:
                st.error(outcome.error, icon=":material/block:")
            if outcome.detail:
                with st.expander("DuckDB 原始错误信息"):
                    st.code(outcome.detail, language=None)
        else:
            frame = outcome.frame
            note = f"，只显示前 {fmt.count(len(frame))} 行" if outcome.truncated else ""
            st.success(f"返回 {fmt.count(len(frame))} 行，用时 {outcome.seconds:.2f} 秒{note}。",
                       icon=":material/check_circle:")
            if "is_demo" in frame.columns:
                ui.demo_badge(frame)
            st.dataframe(frame, hide_index=True, key="sql_result", placeholder=fmt.MISSING)
            ui.downloads(frame, "sql_result", "查询结果")
