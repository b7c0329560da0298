-- metric: 评价的关键数值 / a key figure an evaluation states (budget, spending, rates, headcount).
-- Grain 粒度: one row per (evaluation_id, metric). Money in 元, rates in percentage points,
-- counts in persons, exactly as stated; a figure the report does not state has no row (never 0).
CREATE TABLE IF NOT EXISTS metric (
    evaluation_id INTEGER       NOT NULL,
    metric        VARCHAR       NOT NULL,
    value         DECIMAL(18,4) NOT NULL,
    unit          VARCHAR       NOT NULL CHECK (unit IN ('yuan', 'pct', 'person')),
    raw           VARCHAR       NOT NULL,
    line          INTEGER       NOT NULL,
    note          VARCHAR,
    is_demo       BOOLEAN       NOT NULL,
    PRIMARY KEY (evaluation_id, metric)
);
COMMENT ON TABLE metric IS '关键数值：每项评价每个指标名一行，按报告所述（金额为元，比率为百分点）。Metric: one row per evaluation and metric name, as stated (money in yuan, rates in percentage points).';
COMMENT ON COLUMN metric.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN metric.metric IS '指标名（如 budget_adjusted_yuan、procurement_exec_pct；见 loaders/records.py METRIC_UNITS）。Metric name (see METRIC_UNITS).';
COMMENT ON COLUMN metric.value IS '数值：金额为元，比率为百分点（105.66 表示 105.66%），人数为人。Value: yuan for money, percentage points for rates, persons for headcount.';
COMMENT ON COLUMN metric.unit IS '计量单位：yuan 元，pct 百分点，person 人。Unit: yuan, pct (percentage points), person.';
COMMENT ON COLUMN metric.raw IS '报告原文（含原单位，如“549.6875 万元”）。Raw text with its original unit (e.g. 549.6875 万元).';
COMMENT ON COLUMN metric.line IS '原文所在行。Source line.';
COMMENT ON COLUMN metric.note IS '说明（如比率所用的分母）。Note (e.g. which denominator a rate used).';
COMMENT ON COLUMN metric.is_demo IS '是否为演示数据。Synthetic demo data.';
