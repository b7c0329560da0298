-- v_peer_rank: 同类排名 / where each evaluation stands among its peers, metric by metric.
-- Grain 粒度: one row per current evaluation (document_kind = 'evaluation': documents of other kinds
-- are neither ranked nor peers) and metric it has (total_score, budget_exec_pct,
-- procurement_exec_pct, three_public_control_pct, satisfaction_pct). Peers: same is_demo, fiscal
-- year, report kind and metric, within the city, the province and the nation. Rank 1 = highest
-- value (ties share a rank); percentile = share of the other peers with a lower value (0-100).
-- Whether higher is better depends on the metric (an execution rate above 100 is an overspend).
-- Computed once per load, among all peers, into mv_peer_rank (sql/materialize/140_mv_peer_rank.sql),
-- so a filter on this view never changes a rank.
CREATE OR REPLACE VIEW v_peer_rank AS
SELECT
    evaluation_id, fiscal_year, province, city, county, admin_code, unit_name,
    report_kind, project_name, evaluation_mode, is_demo,
    metric, unit, value,
    rank_in_city, peers_in_city, percentile_in_city, median_in_city,
    rank_in_province, peers_in_province, percentile_in_province, median_in_province,
    rank_national, peers_national, percentile_national, median_national
FROM mv_peer_rank;
COMMENT ON VIEW v_peer_rank IS '同类排名：每项当前评价（仅绩效评价，不含决算公开等非评价文件）每个指标一行（总分、预算执行率、采购执行率、“三公”控制率、满意度），给出在同市、同省、全国同年同类报告中的名次、百分位和中位数。Peer rank: one row per current evaluation (evaluations only, not other documents) and metric: rank, percentile and median among peers (same year and kind) within the city, province and nation.';
COMMENT ON COLUMN v_peer_rank.evaluation_id IS '评价编号。Evaluation id.';
COMMENT ON COLUMN v_peer_rank.metric IS '指标：total_score 总分，budget_exec_pct 预算执行率，procurement_exec_pct 采购执行率，three_public_control_pct “三公”控制率，satisfaction_pct 满意度。Metric name.';
COMMENT ON COLUMN v_peer_rank.unit IS '数值单位：points 分，pct 百分点。Unit of value: points or percentage points.';
COMMENT ON COLUMN v_peer_rank.value IS '本评价的数值（比率取用于比较的值）。Value of this evaluation (rates: the value used for comparison).';
COMMENT ON COLUMN v_peer_rank.rank_in_city IS '市内同类名次（1 = 最高）。Rank among peers in the city (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_in_city IS '市内同类报告数（个）。Peers in the city (count).';
COMMENT ON COLUMN v_peer_rank.percentile_in_city IS '市内百分位：数值低于本评价的其他同类占比（0-100）。Percentile in the city (0-100).';
COMMENT ON COLUMN v_peer_rank.median_in_city IS '市内同类中位数。Peer median in the city.';
COMMENT ON COLUMN v_peer_rank.rank_in_province IS '省内同类名次（1 = 最高）。Rank among peers in the province (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_in_province IS '省内同类报告数（个）。Peers in the province (count).';
COMMENT ON COLUMN v_peer_rank.percentile_in_province IS '省内百分位（0-100）。Percentile in the province (0-100).';
COMMENT ON COLUMN v_peer_rank.median_in_province IS '省内同类中位数。Peer median in the province.';
COMMENT ON COLUMN v_peer_rank.rank_national IS '全国同类名次（1 = 最高）。National rank among peers (1 = highest).';
COMMENT ON COLUMN v_peer_rank.peers_national IS '全国同类报告数（个）。National peers (count).';
COMMENT ON COLUMN v_peer_rank.percentile_national IS '全国百分位（0-100）。National percentile (0-100).';
COMMENT ON COLUMN v_peer_rank.median_national IS '全国同类中位数。National peer median.';
