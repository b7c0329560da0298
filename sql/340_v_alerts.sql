-- v_alerts: 预警清单 / who needs attention: every alert rule a current evaluation trips.
-- Grain 粒度: one row per alert: a current evaluation and a rule (alert_code), one row per figure
-- where the rule concerns a figure (a satisfaction figure, an error flag). Rules: overspend
-- (budget execution > 100%), budget execution below 90%, procurement execution below 80%,
-- satisfaction below 90%, total score more than 5 points below the previous year (same subject and
-- mode), an error-severity quality flag. The satisfaction and score rules concern evaluations only
-- (document_kind = 'evaluation'); the money and flag rules documents of any kind. Each alert names
-- the figure it rests on (field, a metric name of the record contract, or satisfaction_pct,
-- total_score, quality_flag) and that figure's source line, so a link can open the report at the
-- sentence; gap, money_yuan and severity rank alerts of different rules together (error flags have
-- no severity: they are listed apart). Computed once per load into mv_alerts
-- (sql/materialize/150_mv_alerts.sql) from the views that hold each rule.
CREATE OR REPLACE VIEW v_alerts AS
SELECT
    evaluation_id, unit_id, fiscal_year, province, city, county, admin_code, unit_name, report_kind, project_name,
    evaluation_mode, is_demo, document_kind, alert_code, alert_order, value, other_value, note, field, line, gap,
    money_yuan, severity
FROM mv_alerts;
COMMENT ON VIEW v_alerts IS '预警清单：每项当前评价触发的每条预警规则一行（预算超支、预算执行率低于90%、政府采购执行率低于80%、满意度低于90%、总分比上年下降超过5分、错误级数据质量标记），注明所依据的数字及其原文行、偏离红线的幅度、涉及金额和严重程度（按严重程度排序即“最要紧的在前”）。Alerts: one row per current evaluation and alert rule it trips, with the figure it rests on and its source line, the gap from the line, the money involved and a severity to rank them by.';
COMMENT ON COLUMN v_alerts.unit_id IS '单位编号，关联 unit（同一单位的预警按它归在一起）。Unit id, joins unit (groups the alerts of one unit).';
COMMENT ON COLUMN v_alerts.alert_code IS '预警规则：overspend 预算超支，budget_under_90 预算执行率低于90%，procurement_under_80 政府采购执行率低于80%，satisfaction_under_90 满意度低于90%，score_drop 总分比上年下降超过5分，error_flag 数据质量错误。Alert rule code.';
COMMENT ON COLUMN v_alerts.alert_order IS '预警规则的排序号（1-6，与上列顺序相同）。Sort order of the rule (1-6, as listed).';
COMMENT ON COLUMN v_alerts.value IS '触发预警的数值：执行率或满意度（百分点）、总分（分）；质量标记为空。The value that trips the rule: a rate or satisfaction (percentage points) or the total score (points); NULL for flags.';
COMMENT ON COLUMN v_alerts.other_value IS '对照数值：预算规则为报告所述执行率（百分点），采购规则为采购预算（元），总分规则为上年总分（分）。Comparison value: the stated rate (budget rules), the procurement budget in yuan (procurement), the previous total (score drop).';
COMMENT ON COLUMN v_alerts.note IS '说明：满意度规则为调查对象群体，采购规则为实际采购金额（元，文本），质量标记为其说明。Note: the respondent group (satisfaction), the actual procurement in yuan as text (procurement), the flag message (flags).';
COMMENT ON COLUMN v_alerts.field IS '预警所依据的数字：关键数值名（budget_exec_pct 报告所述预算执行率，无则 expenditure_yuan 支出；procurement_exec_pct，无则 procurement_actual_yuan），或 satisfaction_pct 满意度、total_score 总分、quality_flag 质量标记。报告详情页据此打开对应的选项卡。The figure the alert rests on: a metric name, or satisfaction_pct, total_score, quality_flag; the report page opens its tab.';
COMMENT ON COLUMN v_alerts.line IS '该数字在原文中的行（预算与采购规则取所依据关键数值的行，满意度取满意度数字的行，质量标记取标记所在行；总分规则为空）。Source line of the figure (the metric for money rules, the satisfaction figure, the flag; NULL for the score rule).';
COMMENT ON COLUMN v_alerts.gap IS '偏离红线的幅度，正数：超支为执行率减100，执行率规则为90（采购80）减执行率，满意度为90减满意度（百分点）；总分规则为比上年下降的分数（分）；质量标记为空。Distance from the line, positive: percentage points for rates, points for the score drop; NULL for flags.';
COMMENT ON COLUMN v_alerts.money_yuan IS '涉及金额（元）：超支为支出超出预算的部分，执行率低于90%为未执行的预算，采购执行率低于80%为未执行的采购预算；其他规则或金额未报告时为空。Money involved (yuan): the overspend, the unspent budget, the unspent procurement budget; NULL otherwise.';
COMMENT ON COLUMN v_alerts.severity IS '严重程度（越大越严重）= 偏离幅度占红线的比例（执行率规则除以红线值100、90或80，满意度除以90，总分下降除以100）×（1 + log10(1 + 涉及金额（万元）)）；质量标记为空（单列）。Severity (larger is worse) = gap as a share of the line × (1 + log10(1 + money in 10k yuan)); NULL for flags.';
