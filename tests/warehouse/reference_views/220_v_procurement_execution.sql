-- v_procurement_execution: 政府采购执行 / procurement budget against actual procurement.
-- Grain 粒度: one row per current evaluation that states procurement figures. Band on the rate
-- used for comparison: >=100, 90-100, 80-90, <80. Rank 1 = highest rate; percentile = share of
-- peers with a lower rate (0-100). Peers: same is_demo, fiscal year and report kind, within the
-- province and nationally.
CREATE OR REPLACE VIEW v_procurement_execution AS
WITH base AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, document_kind,
        procurement_budget_yuan, procurement_actual_yuan,
        procurement_exec_pct_stated, procurement_exec_pct_recomputed, procurement_exec_pct
    FROM v_evaluation
    WHERE procurement_exec_pct IS NOT NULL OR procurement_budget_yuan IS NOT NULL
       OR procurement_actual_yuan IS NOT NULL
),

ranked AS (
    SELECT
        *,
        rank() OVER province_peers                           AS rank_in_province,
        count(*) OVER province_all                           AS peers_in_province,
        percent_rank() OVER province_peers_ascending         AS pr_province,
        rank() OVER national_peers                           AS rank_national,
        count(*) OVER national_all                           AS peers_national,
        percent_rank() OVER national_peers_ascending         AS pr_national
    FROM base
    WINDOW
        province_all AS (PARTITION BY is_demo, fiscal_year, report_kind, province, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')),
        national_all AS (PARTITION BY is_demo, fiscal_year, report_kind, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')),
        province_peers AS (PARTITION BY is_demo, fiscal_year, report_kind, province, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')
                           ORDER BY procurement_exec_pct DESC),
        province_peers_ascending AS (PARTITION BY is_demo, fiscal_year, report_kind, province, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')
                                     ORDER BY procurement_exec_pct ASC),
        national_peers AS (PARTITION BY is_demo, fiscal_year, report_kind, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')
                           ORDER BY procurement_exec_pct DESC),
        national_peers_ascending AS (PARTITION BY is_demo, fiscal_year, report_kind, (procurement_exec_pct IS NULL OR document_kind <> 'evaluation')
                                     ORDER BY procurement_exec_pct ASC)
),

final AS (
    SELECT
        evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
        report_kind, project_name, evaluation_mode, is_demo, document_kind,
        procurement_budget_yuan, procurement_actual_yuan,
        procurement_exec_pct_stated, procurement_exec_pct_recomputed, procurement_exec_pct,
        CAST(procurement_exec_pct_stated - procurement_exec_pct_recomputed AS DECIMAL(18,4))
                                                                      AS procurement_exec_pct_diff,
        abs(procurement_exec_pct_stated - procurement_exec_pct_recomputed) <= 0.01
                                                                      AS rates_agree,
        CASE
            WHEN procurement_exec_pct IS NULL THEN NULL
            WHEN procurement_exec_pct >= 100 THEN '>=100'
            WHEN procurement_exec_pct >= 90 THEN '90-100'
            WHEN procurement_exec_pct >= 80 THEN '80-90'
            ELSE '<80'
        END                                                           AS exec_band,
        CASE
            WHEN procurement_exec_pct IS NULL THEN NULL
            WHEN procurement_exec_pct >= 100 THEN 1
            WHEN procurement_exec_pct >= 90 THEN 2
            WHEN procurement_exec_pct >= 80 THEN 3
            ELSE 4
        END                                                           AS exec_band_order,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation' THEN rank_in_province END   AS rank_in_province,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation' THEN peers_in_province END  AS peers_in_province,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation'
             THEN CAST(round(100 * pr_province, 2) AS DECIMAL(9,4)) END        AS percentile_in_province,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation' THEN rank_national END      AS rank_national,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation' THEN peers_national END     AS peers_national,
        CASE WHEN procurement_exec_pct IS NOT NULL AND document_kind = 'evaluation'
             THEN CAST(round(100 * pr_national, 2) AS DECIMAL(9,4)) END        AS percentile_national
    FROM ranked
)

SELECT * FROM final;
COMMENT ON VIEW v_procurement_execution IS '政府采购执行：每项有采购数据的当前评价一行，含预算、实际、执行率（报告值与复算值）、区间（>=100、90-100、80-90、<80）及省内与全国同类排名和百分位。Procurement execution: one row per current evaluation with procurement data: budget, actual, rate, band, rank and percentile within province-year and nationally.';
COMMENT ON COLUMN v_procurement_execution.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_procurement_execution.procurement_exec_pct_diff IS '报告值减复算值（百分点）。Stated minus recomputed rate (percentage points).';
COMMENT ON COLUMN v_procurement_execution.rates_agree IS '报告值与复算值相差不超过 0.01 个百分点。Stated and recomputed rates agree within 0.01 percentage points.';
COMMENT ON COLUMN v_procurement_execution.exec_band IS '执行区间：>=100，90-100，80-90，<80（百分比）。Execution band: >=100, 90-100, 80-90, <80 (percent).';
COMMENT ON COLUMN v_procurement_execution.exec_band_order IS '执行区间的排序号（1 = >=100 … 4 = <80）。Sort order of the band.';
COMMENT ON COLUMN v_procurement_execution.rank_in_province IS '省内同年同类报告中的名次（1 = 执行率最高）。Rank among peers in the province (same year and kind; 1 = highest).';
COMMENT ON COLUMN v_procurement_execution.peers_in_province IS '省内同年同类有执行率的报告数（个）。Peers in the province with a rate (count).';
COMMENT ON COLUMN v_procurement_execution.percentile_in_province IS '省内百分位：执行率低于本单位的同类报告占比（0-100）。Percentile in the province: share of peers with a lower rate (0-100).';
COMMENT ON COLUMN v_procurement_execution.rank_national IS '全国同年同类报告中的名次（1 = 执行率最高）。National rank among peers (1 = highest).';
COMMENT ON COLUMN v_procurement_execution.peers_national IS '全国同年同类有执行率的报告数（个）。National peers with a rate (count).';
COMMENT ON COLUMN v_procurement_execution.percentile_national IS '全国百分位：执行率低于本单位的同类报告占比（0-100）。National percentile: share of peers with a lower rate (0-100).';
