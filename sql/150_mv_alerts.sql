-- mv_alerts: 预警清单（载入时物化）/ every alert the overview page lists, computed once per load.
-- Grain 粒度: one row per alert: a current evaluation and a rule it trips (overspend, budget
-- execution below 90%, procurement execution below 80%, a satisfaction figure below 90%, a total
-- score more than 5 points below the previous year, an error-severity quality flag); a rule that
-- concerns a figure (satisfaction, flag) gives one row per figure. Score and satisfaction rules
-- concern evaluations only; money and flag rules any document (document_kind says which). Each row
-- names the figure behind it (field) and its source line, how far it is from the line (gap), the
-- money involved and a severity that ranks alerts of different rules together. Derived: rebuilt at
-- the end of every load that writes (query in sql/materialize/150_mv_alerts.sql); v_alerts publishes it.
CREATE TABLE IF NOT EXISTS mv_alerts (
    evaluation_id   INTEGER NOT NULL,
    unit_id         INTEGER,
    fiscal_year     INTEGER,
    province        VARCHAR,
    city            VARCHAR,
    county          VARCHAR,
    admin_code      VARCHAR,
    unit_name       VARCHAR,
    report_kind     VARCHAR,
    project_name    VARCHAR,
    evaluation_mode VARCHAR,
    is_demo         BOOLEAN,
    document_kind   VARCHAR,
    alert_code      VARCHAR NOT NULL,
    alert_order     INTEGER NOT NULL,
    value           DECIMAL(18,4),
    other_value     DECIMAL(20,4),
    note            VARCHAR,
    field           VARCHAR NOT NULL,
    line            INTEGER,
    gap             DECIMAL(18,4),
    money_yuan      DECIMAL(18,2),
    severity        DECIMAL(18,6)
);
COMMENT ON TABLE mv_alerts IS '预警清单（载入时物化）：每项当前评价触发的每条预警规则一行（超支、预算执行率<90%、采购执行率<80%、满意度<90%、总分比上年降超5分、错误级质量标记），含所依据的数字及其原文行、偏离红线的幅度、涉及金额和严重程度；每次载入结束时重建，v_alerts 发布它。Materialized alerts: one row per current evaluation and rule it trips, with the figure and its source line, the gap from the line, the money involved and a severity; rebuilt at the end of every load; published by v_alerts.';
