-- v_alerts: 预警清单 / who needs attention: every alert rule a current evaluation trips.
-- Grain 粒度: one row per alert: a current evaluation and a rule (alert_code), one row per figure
-- where the rule concerns a figure (a satisfaction figure, an error flag). Rules: overspend
-- (budget execution > 100%), budget execution below 90%, procurement execution below 80%,
-- satisfaction below 90%, total score more than 5 points below the previous year (same subject and
-- mode), an error-severity quality flag. The satisfaction and score rules concern evaluations only
-- (document_kind = 'evaluation'); the money and flag rules documents of any kind. Computed once per load into mv_alerts
-- (sql/materialize/150_mv_alerts.sql) from the views that hold each rule.
CREATE OR REPLACE VIEW v_alerts AS
SELECT
    evaluation_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
    evaluation_mode, is_demo, document_kind, alert_code, alert_order, value, other_value, note, line
FROM mv_alerts;
COMMENT ON VIEW v_alerts IS '预警清单：每项当前评价触发的每条预警规则一行（预算超支、预算执行率低于90%、政府采购执行率低于80%、满意度低于90%、总分比上年下降超过5分、错误级数据质量标记）。Alerts: one row per current evaluation and alert rule it trips (overspend, budget execution < 90%, procurement execution < 80%, satisfaction < 90%, score down more than 5 points, error flag).';
COMMENT ON COLUMN v_alerts.alert_code IS '预警规则：overspend 预算超支，budget_under_90 预算执行率低于90%，procurement_under_80 政府采购执行率低于80%，satisfaction_under_90 满意度低于90%，score_drop 总分比上年下降超过5分，error_flag 数据质量错误。Alert rule code.';
COMMENT ON COLUMN v_alerts.alert_order IS '预警规则的排序号（1-6，与上列顺序相同）。Sort order of the rule (1-6, as listed).';
COMMENT ON COLUMN v_alerts.value IS '触发预警的数值：执行率或满意度（百分点）、总分（分）；质量标记为空。The value that trips the rule: a rate or satisfaction (percentage points) or the total score (points); NULL for flags.';
COMMENT ON COLUMN v_alerts.other_value IS '对照数值：预算规则为报告所述执行率（百分点），采购规则为采购预算（元），总分规则为上年总分（分）。Comparison value: the stated rate (budget rules), the procurement budget in yuan (procurement), the previous total (score drop).';
COMMENT ON COLUMN v_alerts.note IS '说明：满意度规则为调查对象群体，采购规则为实际采购金额（元，文本），质量标记为其说明。Note: the respondent group (satisfaction), the actual procurement in yuan as text (procurement), the flag message (flags).';
COMMENT ON COLUMN v_alerts.line IS '相关原文行（满意度数字或质量标记所在行）。Source line concerned (of the satisfaction figure or the flag).';
