-- indicator: 绩效指标 / one row of an indicator table (target, actual, weight, score).
-- Grain 粒度: one row per (evaluation_id, indicator_no). A row may carry level 1, 2 or 3 of the
-- hierarchy and comes from the score table, a score summary table or a goals table (source_table);
-- is_leaf marks the rows that add up to the score without counting a point twice: the leaves of
-- one scoring table (the score table when it has scored rows, else the summary table); a leaf is
-- a row without scored rows below it. weight_shared marks a weight printed once for several rows
-- (a merged cell: a weighted row followed by weightless scored rows under the same parent). Both
-- are computed by the loader per evaluation (warehouse.load.indicator_structure).
CREATE TABLE IF NOT EXISTS indicator (
    evaluation_id         INTEGER NOT NULL,
    indicator_no          INTEGER NOT NULL,
    source_table          VARCHAR NOT NULL CHECK (source_table IN ('score', 'summary', 'goals')),
    level                 INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    level1                VARCHAR,
    level2                VARCHAR,
    level3                VARCHAR,
    dimension             VARCHAR CHECK (dimension IN ('decision', 'process', 'output', 'outcome', 'satisfaction')),
    weight                DECIMAL(9,4),
    score                 DECIMAL(9,4),
    score_rate_stated_pct DECIMAL(18,4),
    target_raw            VARCHAR,
    target_comparator     VARCHAR,
    target_value          DECIMAL(18,4),
    target_low            DECIMAL(18,4),
    target_high           DECIMAL(18,4),
    target_low_inclusive  BOOLEAN,
    target_high_inclusive BOOLEAN,
    target_unit_raw       VARCHAR,
    target_unit           VARCHAR,
    target_scale          BIGINT,
    target_is_qualitative BOOLEAN,
    target_qual_code      VARCHAR,
    target_is_estimate    BOOLEAN,
    target_warnings       VARCHAR[],
    actual_raw            VARCHAR,
    actual_comparator     VARCHAR,
    actual_value          DECIMAL(18,4),
    actual_low            DECIMAL(18,4),
    actual_high           DECIMAL(18,4),
    actual_low_inclusive  BOOLEAN,
    actual_high_inclusive BOOLEAN,
    actual_unit_raw       VARCHAR,
    actual_unit           VARCHAR,
    actual_scale          BIGINT,
    actual_is_qualitative BOOLEAN,
    actual_qual_code      VARCHAR,
    actual_is_estimate    BOOLEAN,
    actual_warnings       VARCHAR[],
    met                   BOOLEAN,
    note                  VARCHAR,
    rule                  VARCHAR,
    line                  INTEGER,
    is_leaf               BOOLEAN NOT NULL,
    weight_shared         BOOLEAN NOT NULL,
    is_demo               BOOLEAN NOT NULL,
    PRIMARY KEY (evaluation_id, indicator_no)
);
COMMENT ON TABLE indicator IS '绩效指标：指标表的每一行（目标值、实际值、分值、得分、扣分原因）。Indicator: one row of an indicator table (target, actual, weight, score, reason for lost points).';
COMMENT ON COLUMN indicator.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN indicator.indicator_no IS '在评价中的顺序号（从 0 开始）。Position within the evaluation (0-based).';
COMMENT ON COLUMN indicator.source_table IS '来自哪张表：score 评分表，summary 得分汇总表，goals 只有目标值没有分数的指标表。Which table: score, summary, goals.';
COMMENT ON COLUMN indicator.level IS '该行所在的指标层级（1、2、3）。Level of the hierarchy this row carries (1, 2, 3).';
COMMENT ON COLUMN indicator.level1 IS '一级指标（原文）。Level-1 indicator as written.';
COMMENT ON COLUMN indicator.level2 IS '二级指标（原文）。Level-2 indicator as written.';
COMMENT ON COLUMN indicator.level3 IS '三级指标（原文）。Level-3 indicator as written.';
COMMENT ON COLUMN indicator.dimension IS '规范维度：decision 决策/投入，process 过程/管理，output 产出，outcome 效益/效果，satisfaction 满意度。Canonical dimension.';
COMMENT ON COLUMN indicator.weight IS '分值（满分，分）。Weight (maximum points).';
COMMENT ON COLUMN indicator.score IS '得分（分）。Score (points).';
COMMENT ON COLUMN indicator.score_rate_stated_pct IS '报告印出的得分率（百分点，可能有误）。Score rate as printed (percentage points; may be wrong).';
COMMENT ON COLUMN indicator.target_raw IS '目标值原文。Target as written.';
COMMENT ON COLUMN indicator.target_comparator IS '目标值的比较符：=, >=, <=, >, <, range, approx_ge, approx。Target comparator.';
COMMENT ON COLUMN indicator.target_value IS '目标值数值（已换算：金额为元，比率为百分点）。Target value (scaled: yuan, percentage points).';
COMMENT ON COLUMN indicator.target_low IS '目标值区间下限。Target range low end.';
COMMENT ON COLUMN indicator.target_high IS '目标值区间上限。Target range high end.';
COMMENT ON COLUMN indicator.target_low_inclusive IS '目标值下限是否包含。Whether the low end is inclusive.';
COMMENT ON COLUMN indicator.target_high_inclusive IS '目标值上限是否包含。Whether the high end is inclusive.';
COMMENT ON COLUMN indicator.target_unit_raw IS '目标值原单位（如 万元、人次）。Target unit as written.';
COMMENT ON COLUMN indicator.target_unit IS '目标值规范化单位：person, person_time, household, org, item, event, case, doc, sqm, pct, yuan, day。Normalized unit.';
COMMENT ON COLUMN indicator.target_scale IS '目标值已乘上的倍数（1、10000、100000000）。Scale already applied (1, 10000, 100000000).';
COMMENT ON COLUMN indicator.target_is_qualitative IS '目标值是否为定性描述。Whether it is qualitative.';
COMMENT ON COLUMN indicator.target_qual_code IS '目标值定性代码：YES, NO, SATISFIED, ONGOING, PARTIAL, WITHIN_FY, DONE, NONE。Qualitative code.';
COMMENT ON COLUMN indicator.target_is_estimate IS '目标值是否为约数或预计数（余、多、预计）。Whether it is approximate or an estimate.';
COMMENT ON COLUMN indicator.target_warnings IS '目标值规范化时的提示。Normalization warnings.';
COMMENT ON COLUMN indicator.actual_raw IS '实际完成值原文。Actual as written.';
COMMENT ON COLUMN indicator.actual_comparator IS '实际完成值的比较符：=, >=, <=, >, <, range, approx_ge, approx。Actual comparator.';
COMMENT ON COLUMN indicator.actual_value IS '实际完成值数值（已换算：金额为元，比率为百分点）。Actual value (scaled: yuan, percentage points).';
COMMENT ON COLUMN indicator.actual_low IS '实际完成值区间下限。Actual range low end.';
COMMENT ON COLUMN indicator.actual_high IS '实际完成值区间上限。Actual range high end.';
COMMENT ON COLUMN indicator.actual_low_inclusive IS '实际完成值下限是否包含。Whether the low end is inclusive.';
COMMENT ON COLUMN indicator.actual_high_inclusive IS '实际完成值上限是否包含。Whether the high end is inclusive.';
COMMENT ON COLUMN indicator.actual_unit_raw IS '实际完成值原单位（如 万元、人次）。Actual unit as written.';
COMMENT ON COLUMN indicator.actual_unit IS '实际完成值规范化单位：person, person_time, household, org, item, event, case, doc, sqm, pct, yuan, day。Normalized unit.';
COMMENT ON COLUMN indicator.actual_scale IS '实际完成值已乘上的倍数（1、10000、100000000）。Scale already applied (1, 10000, 100000000).';
COMMENT ON COLUMN indicator.actual_is_qualitative IS '实际完成值是否为定性描述。Whether it is qualitative.';
COMMENT ON COLUMN indicator.actual_qual_code IS '实际完成值定性代码：YES, NO, SATISFIED, ONGOING, PARTIAL, WITHIN_FY, DONE, NONE。Qualitative code.';
COMMENT ON COLUMN indicator.actual_is_estimate IS '实际完成值是否为约数或预计数（余、多、预计）。Whether it is approximate or an estimate.';
COMMENT ON COLUMN indicator.actual_warnings IS '实际完成值规范化时的提示。Normalization warnings.';
COMMENT ON COLUMN indicator.met IS '实际值是否达到目标值（无法判断为空）。Whether the actual meets the target (NULL: cannot tell).';
COMMENT ON COLUMN indicator.note IS '扣分原因、偏差原因分析或评分说明（原文）。Deduction reason, deviation analysis or scoring note.';
COMMENT ON COLUMN indicator.rule IS '评分标准（原文）。Scoring rule as written.';
COMMENT ON COLUMN indicator.line IS '该指标所在的原文行。Source line of the indicator.';
COMMENT ON COLUMN indicator.is_demo IS '是否为演示数据。Synthetic demo data.';
COMMENT ON COLUMN indicator.is_leaf IS '是否为计分末级指标：所用评分表（优先评分表，没有时用得分汇总表）中其下没有计分行的一行；末级相加不会重复计分。Leaf of the scoring table used: rows that add up to the score without counting a point twice.';
COMMENT ON COLUMN indicator.weight_shared IS '分值为相邻几行共用（合并单元格：有分值的一行后跟无分值但有得分的行），不能单独计算失分。The weight is shared by adjacent rows (a merged cell); no per-row loss.';
