-- v_self_vs_external: 自评与外部评价之差 / where a unit-year has a self-evaluation and an
-- external one (department, finance or third party), how far apart they are.
-- Grain 粒度: one row per pair (self-evaluation, external evaluation) of the same subject (unit,
-- kind, project) and fiscal year, both current. Gap = self − external, in points for the total
-- and in percentage points for each dimension's score rate. Only evaluations (document_kind).
CREATE OR REPLACE VIEW v_self_vs_external AS
WITH rated AS (
    -- The dimension score rates are those of v_dimension_scores, pivoted once per load.
    SELECT
        *,
        decision_rate_pct     AS decision_rate,
        process_rate_pct      AS process_rate,
        output_rate_pct       AS output_rate,
        outcome_rate_pct      AS outcome_rate,
        satisfaction_rate_pct AS satisfaction_rate
    FROM mv_evaluation
    WHERE document_kind = 'evaluation'
),

final AS (
    SELECT
        ext.fiscal_year, ext.province, ext.city, ext.county, ext.admin_code, ext.unit_id, ext.unit_name,
        ext.report_kind, ext.project_name, ext.is_demo,
        s.evaluation_id                                                         AS self_evaluation_id,
        ext.evaluation_id                                                       AS external_evaluation_id,
        ext.evaluation_mode                                                     AS external_mode,
        ext.evaluator                                                           AS external_evaluator,
        s.total_score                                                           AS self_total_score,
        ext.total_score                                                         AS external_total_score,
        CAST(s.total_score - ext.total_score AS DECIMAL(9,4))                   AS total_score_gap,
        s.grade                                                                 AS self_grade,
        ext.grade                                                               AS external_grade,
        s.grade IS DISTINCT FROM ext.grade                                      AS grade_differs,
        s.decision_rate                                                         AS self_decision_rate_pct,
        ext.decision_rate                                                       AS external_decision_rate_pct,
        CAST(s.decision_rate - ext.decision_rate AS DECIMAL(18,4))              AS decision_rate_gap,
        s.process_rate                                                          AS self_process_rate_pct,
        ext.process_rate                                                        AS external_process_rate_pct,
        CAST(s.process_rate - ext.process_rate AS DECIMAL(18,4))                AS process_rate_gap,
        s.output_rate                                                           AS self_output_rate_pct,
        ext.output_rate                                                         AS external_output_rate_pct,
        CAST(s.output_rate - ext.output_rate AS DECIMAL(18,4))                  AS output_rate_gap,
        s.outcome_rate                                                          AS self_outcome_rate_pct,
        ext.outcome_rate                                                        AS external_outcome_rate_pct,
        CAST(s.outcome_rate - ext.outcome_rate AS DECIMAL(18,4))                AS outcome_rate_gap,
        s.satisfaction_rate                                                     AS self_satisfaction_rate_pct,
        ext.satisfaction_rate                                                   AS external_satisfaction_rate_pct,
        CAST(s.satisfaction_rate - ext.satisfaction_rate AS DECIMAL(18,4))      AS satisfaction_rate_gap
    FROM rated AS s
    JOIN rated AS ext
        ON ext.subject_key = s.subject_key
       AND ext.fiscal_year = s.fiscal_year
       AND ext.evaluation_mode IN ('department', 'finance', 'third_party')
    WHERE s.evaluation_mode = 'self'
)

SELECT * FROM final;
COMMENT ON VIEW v_self_vs_external IS '自评与外部评价之差：同一单位、对象和年度既有自评又有外部评价（部门、财政、第三方）时，每对一行；差 = 自评 − 外部评价（总分为分，维度得分率为百分点）。Self vs external: one row per pair of a self-evaluation and an external one for the same subject and year; gap = self − external.';
COMMENT ON COLUMN v_self_vs_external.unit_id IS '单位编号。Unit id.';
COMMENT ON COLUMN v_self_vs_external.self_evaluation_id IS '自评的评价编号。Evaluation id of the self-evaluation.';
COMMENT ON COLUMN v_self_vs_external.external_evaluation_id IS '外部评价的评价编号。Evaluation id of the external evaluation.';
COMMENT ON COLUMN v_self_vs_external.external_mode IS '外部评价方式：department 部门评价，finance 财政评价，third_party 第三方。External evaluation mode.';
COMMENT ON COLUMN v_self_vs_external.external_evaluator IS '外部评价机构。External evaluator.';
COMMENT ON COLUMN v_self_vs_external.self_total_score IS '自评总分（分）。Self-evaluation total score (points).';
COMMENT ON COLUMN v_self_vs_external.external_total_score IS '外部评价总分（分）。External total score (points).';
COMMENT ON COLUMN v_self_vs_external.total_score_gap IS '总分差 = 自评 − 外部（分）。Total score gap = self − external (points).';
COMMENT ON COLUMN v_self_vs_external.self_grade IS '自评等次。Self-evaluation grade.';
COMMENT ON COLUMN v_self_vs_external.external_grade IS '外部评价等次。External grade.';
COMMENT ON COLUMN v_self_vs_external.grade_differs IS '两者等次是否不同。Whether the grades differ.';
COMMENT ON COLUMN v_self_vs_external.self_decision_rate_pct IS '自评决策维度得分率（百分点）。Self decision score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.external_decision_rate_pct IS '外部评价决策维度得分率（百分点）。External decision score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.decision_rate_gap IS '决策维度得分率之差（百分点）。Decision score rate gap (percentage points).';
COMMENT ON COLUMN v_self_vs_external.self_process_rate_pct IS '自评过程维度得分率（百分点）。Self process score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.external_process_rate_pct IS '外部评价过程维度得分率（百分点）。External process score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.process_rate_gap IS '过程维度得分率之差（百分点）。Process score rate gap (percentage points).';
COMMENT ON COLUMN v_self_vs_external.self_output_rate_pct IS '自评产出维度得分率（百分点）。Self output score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.external_output_rate_pct IS '外部评价产出维度得分率（百分点）。External output score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.output_rate_gap IS '产出维度得分率之差（百分点）。Output score rate gap (percentage points).';
COMMENT ON COLUMN v_self_vs_external.self_outcome_rate_pct IS '自评效益维度得分率（百分点）。Self outcome score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.external_outcome_rate_pct IS '外部评价效益维度得分率（百分点）。External outcome score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.outcome_rate_gap IS '效益维度得分率之差（百分点）。Outcome score rate gap (percentage points).';
COMMENT ON COLUMN v_self_vs_external.self_satisfaction_rate_pct IS '自评满意度维度得分率（百分点）。Self satisfaction-dimension score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.external_satisfaction_rate_pct IS '外部评价满意度维度得分率（百分点）。External satisfaction-dimension score rate (percentage points).';
COMMENT ON COLUMN v_self_vs_external.satisfaction_rate_gap IS '满意度维度得分率之差（百分点）。Satisfaction-dimension score rate gap (percentage points).';
