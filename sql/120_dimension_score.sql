-- dimension_score: 维度得分 / points per canonical dimension of one evaluation.
-- Grain 粒度: one row per (evaluation_id, dimension), summed over the evaluation's leaf indicators
-- (indicator.is_leaf). Written by the loader with the evaluation (warehouse.load.indicator_structure),
-- so comparing dimensions across a whole country never re-reads millions of indicator rows.
CREATE TABLE IF NOT EXISTS dimension_score (
    evaluation_id   INTEGER      NOT NULL,
    dimension       VARCHAR      NOT NULL CHECK (dimension IN ('decision', 'process', 'output', 'outcome',
                                                               'satisfaction', 'unclassified')),
    indicator_count INTEGER      NOT NULL,
    weight          DECIMAL(9,4),
    score           DECIMAL(9,4),
    is_demo         BOOLEAN      NOT NULL,
    PRIMARY KEY (evaluation_id, dimension)
);
COMMENT ON TABLE dimension_score IS '维度得分：每项评价每个规范维度一行，为其末级计分指标之和（载入时计算）。Dimension score: one row per evaluation and canonical dimension, the sum of its leaf indicators (computed at load).';
COMMENT ON COLUMN dimension_score.evaluation_id IS '评价编号，关联 evaluation。Evaluation id, joins evaluation.';
COMMENT ON COLUMN dimension_score.dimension IS '规范维度：decision 决策/投入，process 过程/管理，output 产出，outcome 效益/效果，satisfaction 满意度，unclassified 未归类。Canonical dimension.';
COMMENT ON COLUMN dimension_score.indicator_count IS '该维度的末级指标数（个）。Leaf indicators in the dimension (count).';
COMMENT ON COLUMN dimension_score.weight IS '该维度的分值合计（分；合并单元格的共用分值计一次）。Total weight of the dimension (points).';
COMMENT ON COLUMN dimension_score.score IS '该维度的得分合计（分）。Total score of the dimension (points).';
COMMENT ON COLUMN dimension_score.is_demo IS '是否为演示数据。Synthetic demo data.';
