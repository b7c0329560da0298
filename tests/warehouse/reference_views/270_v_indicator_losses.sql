-- v_indicator_losses: 失分指标 / every scored indicator that lost points, with the reason given.
-- Grain 粒度: one row per leaf indicator (v_indicator_leaf) of a current evaluation whose score is
-- below its own weight (rows sharing a merged weight cell are left out: their loss is unknown).
CREATE OR REPLACE VIEW v_indicator_losses AS
WITH final AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, framework,
        indicator_no, level, level1, level2, level3, dimension,
        weight, score, points_lost, score_rate_pct,
        target_raw, actual_raw, met,
        note AS reason,
        rule,
        line,
        file_id
    FROM v_indicator_leaf
    WHERE points_lost > 0
)

SELECT * FROM final;
COMMENT ON VIEW v_indicator_losses IS '失分指标：每项当前评价中得分低于分值的末级指标一行，含失分与报告给出的原因。Indicator losses: one row per leaf indicator of a current evaluation that lost points, with points lost and the reason given.';
COMMENT ON COLUMN v_indicator_losses.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_indicator_losses.dimension IS '规范维度（无法归类为 unclassified）。Canonical dimension (unclassified when unknown).';
COMMENT ON COLUMN v_indicator_losses.points_lost IS '失分 = 分值 − 得分（分）。Points lost = weight − score (points).';
COMMENT ON COLUMN v_indicator_losses.score_rate_pct IS '得分率 = 得分 ÷ 分值 × 100（百分点）。Score rate (percentage points).';
COMMENT ON COLUMN v_indicator_losses.reason IS '扣分原因或偏差说明（报告原文）。Reason for lost points as written.';
COMMENT ON COLUMN v_indicator_losses.line IS '该指标所在的原文行。Source line of the indicator.';
COMMENT ON COLUMN v_indicator_losses.file_id IS '来源文件序号，关联 source_line。Source file number, joins source_line.';
COMMENT ON COLUMN v_indicator_losses.weight IS '分值（满分，分）。Weight (maximum points).';
COMMENT ON COLUMN v_indicator_losses.score IS '得分（分）。Score (points).';
