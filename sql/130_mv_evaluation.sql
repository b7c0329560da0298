-- mv_evaluation: 当前评价汇总（载入时物化）/ every current evaluation with its key metrics, computed once per load.
-- Grain 粒度: one row per current evaluation (evaluation.is_current). Derived, never edited: the
-- loader rebuilds it from the tables above at the end of every load that writes (warehouse.load.
-- finish_load, query in sql/materialize/130_mv_evaluation.sql), in the staged copy, so readers never
-- see it half-built. v_evaluation publishes its columns; the extra columns here let other views skip
-- work a national warehouse cannot afford per query: the previous year's evaluation (a self-join)
-- and the score rate per canonical dimension (a pivot of dimension_score), and the three-public
-- items v_final_accounts shows. Documents that are not evaluations (document_kind) are rows too;
-- the views that compare scores keep only document_kind = 'evaluation'.
CREATE TABLE IF NOT EXISTS mv_evaluation (
    evaluation_id                       INTEGER NOT NULL,
    fiscal_year                         INTEGER,
    province                            VARCHAR,
    city                                VARCHAR,
    county                              VARCHAR,
    admin_code                          VARCHAR,
    unit_id                             INTEGER,
    unit_name                           VARCHAR,
    document_kind                       VARCHAR,
    report_kind                         VARCHAR,
    project_name                        VARCHAR,
    evaluation_mode                     VARCHAR,
    is_demo                             BOOLEAN,
    evaluator                           VARCHAR,
    report_date                         VARCHAR,
    framework                           VARCHAR,
    total_score                         DECIMAL(9,4),
    grade_raw                           VARCHAR,
    grade                               VARCHAR,
    grade_of_total                      VARCHAR,
    confidence                          VARCHAR,
    revision                            INTEGER,
    subject_key                         VARCHAR,
    evaluation_key                      VARCHAR,
    sha256                              VARCHAR,
    file_id                             INTEGER,
    source_path                         VARCHAR,
    family                              VARCHAR,
    budget_initial_yuan                 DECIMAL(18,2),
    budget_adjusted_yuan                DECIMAL(18,2),
    expenditure_yuan                    DECIMAL(18,2),
    budget_base                         VARCHAR,
    budget_exec_pct_stated              DECIMAL(18,4),
    budget_exec_pct_recomputed          DECIMAL(18,4),
    budget_exec_pct                     DECIMAL(18,4),
    revenue_total_yuan                  DECIMAL(18,2),
    exp_basic_yuan                      DECIMAL(18,2),
    exp_personnel_yuan                  DECIMAL(18,2),
    exp_public_operating_yuan           DECIMAL(18,2),
    exp_project_yuan                    DECIMAL(18,2),
    procurement_budget_yuan             DECIMAL(18,2),
    procurement_actual_yuan             DECIMAL(18,2),
    procurement_exec_pct_stated         DECIMAL(18,4),
    procurement_exec_pct_recomputed     DECIMAL(18,4),
    procurement_exec_pct                DECIMAL(18,4),
    three_public_budget_yuan            DECIMAL(18,2),
    three_public_actual_yuan            DECIMAL(18,2),
    three_public_control_pct_stated     DECIMAL(18,4),
    three_public_control_pct_recomputed DECIMAL(18,4),
    three_public_control_pct            DECIMAL(18,4),
    headcount_authorised                DECIMAL(18,4),
    headcount_actual                    DECIMAL(18,4),
    fixed_assets_yuan                   DECIMAL(18,2),
    satisfaction_pct_stated             DECIMAL(18,4),
    satisfaction_pct                    DECIMAL(18,4),
    satisfaction_basis                  VARCHAR,
    metric_count                        INTEGER,
    indicator_count                     INTEGER,
    satisfaction_count                  INTEGER,
    finding_count                       INTEGER,
    flag_count                          INTEGER,
    error_flag_count                    INTEGER,
    previous_evaluation_id              INTEGER,
    decision_rate_pct                   DECIMAL(18,4),
    process_rate_pct                    DECIMAL(18,4),
    output_rate_pct                     DECIMAL(18,4),
    outcome_rate_pct                    DECIMAL(18,4),
    satisfaction_rate_pct               DECIMAL(18,4),
    official_reception_yuan             DECIMAL(18,2),
    vehicle_operation_yuan              DECIMAL(18,2),
    vehicle_purchase_yuan               DECIMAL(18,2),
    overseas_travel_yuan                DECIMAL(18,2)
);
COMMENT ON TABLE mv_evaluation IS '当前评价汇总（载入时物化）：每项当前评价一行，含 v_evaluation 的全部字段、上年同一对象同一方式的评价编号和各规范维度的得分率；每次载入结束时重建，视图读它而不在查询时透视 metric 表。Materialized current evaluations: one row per current evaluation with every v_evaluation column, the evaluation of the previous year and the score rate per canonical dimension; rebuilt at the end of every load so views need not pivot metric per query.';
COMMENT ON COLUMN mv_evaluation.previous_evaluation_id IS '上年评价编号：同一单位、同一对象（类型、项目）、同一评价方式在上一财年的当前评价（没有时为空；评价键在当前评价中唯一，故至多一项）。Evaluation of the previous year: the current evaluation of the same subject and mode for fiscal_year - 1 (NULL when none; at most one).';
COMMENT ON COLUMN mv_evaluation.decision_rate_pct IS '决策维度得分率（百分点，同 v_dimension_scores.score_rate_pct）。Score rate of the decision dimension (percentage points).';
COMMENT ON COLUMN mv_evaluation.process_rate_pct IS '过程维度得分率（百分点）。Score rate of the process dimension (percentage points).';
COMMENT ON COLUMN mv_evaluation.output_rate_pct IS '产出维度得分率（百分点）。Score rate of the output dimension (percentage points).';
COMMENT ON COLUMN mv_evaluation.outcome_rate_pct IS '效益维度得分率（百分点）。Score rate of the outcome dimension (percentage points).';
COMMENT ON COLUMN mv_evaluation.satisfaction_rate_pct IS '满意度维度得分率（百分点）。Score rate of the satisfaction dimension (percentage points).';
COMMENT ON COLUMN mv_evaluation.official_reception_yuan IS '公务接待费（元）。Official reception expenses (yuan).';
COMMENT ON COLUMN mv_evaluation.vehicle_operation_yuan IS '公务用车运行维护费（元）。Official vehicle operation and maintenance (yuan).';
COMMENT ON COLUMN mv_evaluation.vehicle_purchase_yuan IS '公务用车购置费（元）。Official vehicle purchase (yuan).';
COMMENT ON COLUMN mv_evaluation.overseas_travel_yuan IS '因公出国（境）费（元）。Official overseas travel (yuan).';
