"""The registry of every quality-flag code: code → (default severity, what it means, in Chinese).

A leaf module (it imports nothing from the project), so the record contract (records.py) and the
checks (checks.py) can both use it without importing each other.
"""

from __future__ import annotations

FLAG_CODES: dict[str, tuple[str, str]] = {
    # score-table arithmetic
    "score_rate_mismatch": ("warning", "印刷的得分率与 得分÷权重 不一致"),
    "children_sum_mismatch": ("error", "下级指标的分值或得分之和与上级不一致"),
    "total_sum_mismatch": ("error", "总分与各一级指标得分之和不一致"),
    "weights_total_mismatch": ("error", "各指标分值之和与满分（总分）不一致"),
    "grade_band_mismatch": ("warning", "评价等次与总分所在的等次区间不一致"),
    "score_exceeds_weight": ("error", "得分高于分值"),
    "narrative_table_score_mismatch": ("error", "正文中的得分与评分表中的得分不一致"),
    "narrative_self_contradiction": ("warning", "同一句话前后矛盾（如“得100%权重分0.00分”）"),
    "rule_text_mismatch": ("warning", "同一指标在两张表中的评分标准不一致"),
    "score_rounding": ("info", "按评分标准复算的得分与报告的得分有舍入差异"),
    "full_score_target_missed": ("error", "未达到目标值却给了满分"),
    "rule_violated_full_score": ("error", "按报告自己的评分标准应扣分，却给了满分"),
    "zero_denominator_full_score": ("warning", "比率的分母为0（无此业务），却给了满分"),
    "empty_indicator_scored": ("warning", "指标内容为空却计了分"),
    "weight_redistributed": ("info", "部分二级指标为“——”，其分值并入其他指标"),
    "weight_shared": ("info", "分值为跨行合并单元格，是几项指标的合计分值，单项得分率不能按它计算"),
    "strict_rescore": ("info", "严格按评分标准复算后的总分与等次"),
    "indicator_misplaced": ("warning", "指标放在了不相符的类别下（如数量放在质量下、效益放在满意度下）"),
    "double_counting": ("warning", "同一笔资金在两个指标中重复计算"),
    "pseudo_quantitative": ("info", "定性事项写成了百分比"),
    "actual_copies_target": ("warning", "实际完成值照抄年度指标值（带比较符号，不是实际数）"),
    "no_scores": ("info", "报告没有分值、得分和等次（总分与等次留空，不是0）"),
    # money and ratios
    "rate_recompute_mismatch": ("warning", "报告的比率与按其分子分母复算的结果不一致"),
    "rate_base_mismatch": ("warning", "比率所引用的分母与实际能复算出该比率的分母不同"),
    "sum_mismatch": ("warning", "分项金额之和与合计不一致"),
    "overspend_unexplained": ("warning", "决算支出超过调整后预算，报告未说明资金来源"),
    "unit_suspect": ("warning", "金额单位可疑（写作“元”但数量级是“万元”）"),
    "indicator_formula_mismatch": ("warning", "指标名称、公式与实际计分所用的比率不一致"),
    "same_name_different_formula": ("info", "指标名称相同但计算口径不同（如用变动率代替控制率）"),
    "rate_truncated": ("info", "百分比被截断而不是四舍五入"),
    "grid_narrative_mismatch": ("warning", "指标表中的数字与正文叙述不一致"),
    "narrative_sum_mismatch": ("warning", "正文列举的分项金额之和与预算总额不一致"),
    # assets and staffing
    "asset_register_mismatch": ("warning", "资产明细合计与资产总表不一致"),
    "net_assets_include_cash": ("info", "“资产净值”包含货币资金，并非固定资产净值"),
    "headcount_mismatch": ("error", "不同章节的编制数或在职人数不一致"),
    # document-level
    "title_content_mismatch": ("warning", "标题所称的报告类型与正文内容不一致"),
    "unit_missing": ("info", "数字缺少单位，按上下文推断"),
    "date_without_year": ("info", "日期没有年份"),
    "period_partial": ("warning", "年度报告中使用了部分期间数或预计数"),
    "typo": ("info", "明显的错别字或笔误"),
    "template_labels": ("info", "沿用了模板中的占位标签"),
    "layout_artifact": ("info", "文档转换残留（书签、重复单元格、错位的列）"),
    "project_name_varies": ("info", "同一项目的名称前后不一致"),
    "trailing_garbage": ("info", "数字后有多余字符（如“100%0”）"),
    "region_inferred": ("info", "报告未写省市，按县区名推断"),
    "region_unresolved": ("warning", "无法确定单位所在的行政区划"),
    "heading_mixed_terms": ("info", "标题混用 部门/项目、效果/效益 等说法"),
    "unit_mismatch_narrative": ("warning", "正文使用的计量单位与指标表不同"),
    "project_of_report": ("info", "多项目报告中的一个项目：同一文件另有整份报告的评价记录，金额不可与之相加"),
    "strategy_error": ("warning", "某个读取策略在本文件上出错而被跳过，其余策略的读数照常保留"),
    "low_confidence": ("info", "未识别模板，仅按标签提取了关键字段"),
    "candidates_disagree": ("warning", "同一字段的几处读数不一致（如封面与表格、表格与正文），未取值"),
    "template_reading_differs": ("warning", "模板读法与通用读法对同一字段的读数不一致，未取值"),
    "rows_unreadable": ("warning", "表格中有行无法按列可靠拆分（如扁平化文本），未读取；涉及该表的合计核对不进行"),
}
