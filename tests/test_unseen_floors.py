"""Extraction floors on tests/corpus/unseen: invented replicas of template families that realdev
does not show (Sichuan 部门预算项目支出绩效自评表, Guizhou and Chongqing department tables, …).

Measured with loaders.score (the review scorer's rules, in process). Floors only go up: when the
parser gets better, raise them to the new figure (rounded down to two decimals); never lower one
to make a change pass.
"""

from __future__ import annotations

import pytest

from loaders import score

UNSEEN_PRECISION_FLOOR = 0.99  # 0.999 on 124 documents (session 6)
UNSEEN_RECALL_FLOOR = 0.99  # u01–u28, measured 0.953 when set, 0.992 once space-separated rows may lose their empty cells; floors only go up
# u29–u44 (the third set, added when the parser had never seen them: recall 0.596 then)
THIRD_SET = tuple(f"u{n}_" for n in range(29, 45))
# u45–u60 (the fourth set: recall 0.817 when added; u53 holds two evaluations, so 17 gold lines)
FOURTH_SET = tuple(f"u{n}_" for n in range(45, 61))
FOURTH_SET_RECALL_FLOOR = 0.95  # 0.901 after the fixes it prompted; 0.958 after the fifth set's
THIRD_SET_RECALL_FLOOR = 0.95  # 0.645 after the first fixes it prompted, 0.848 at the end of that session, 0.880 after the fifth set's, 0.951 once a header interleaved with a flattened line's first row is read
# u61–u76 (the fifth set: Hebei, Hubei, Anhui, Jiangxi, Guangxi, Xinjiang, Gansu, Guizhou, Liaoning,
# Shanxi, Henan, Yunnan, Jilin; recall 0.645 and precision 0.986 when added, before any change for it)
FIFTH_SET = tuple(f"u{n}_" for n in range(61, 77))
# u77–u92 (the sixth set: Tianjin, Shanghai, Zhejiang, Hainan, Ningxia, Inner Mongolia, Tibet,
# Guangdong, Jiangsu, Hunan, Qinghai, Shandong, Heilongjiang, Chongqing, Fujian, Sichuan; raw
# HTML, JSON, MediaWiki and cell-by-cell dumps among them; recall 0.46 and precision 0.97 when
# added, before any change for it)
SIXTH_SET = tuple(f"u{n}_" for n in range(77, 93))
SIXTH_SET_RECALL_FLOOR = 0.81  # 0.808 after the fixes it prompted, 0.812 after the ninth set's
# u93–u124 (the seventh set, written in session 6 by two helpers who neither read nor ran the
# parser: u93–u108 forms (Beijing, Shaanxi, Jiangxi, Hebei, Shandong, Hubei, Hunan, Guangdong, Anhui;
# recall 0.702 and precision 0.980 when added), u109–u124 reports (recall 0.865, precision 0.994))
SEVENTH_SET = tuple(f"u{n}_" for n in range(93, 125))
SEVENTH_SET_RECALL_FLOOR = 0.95  # 0.951 after the fixes it prompted (u93–u108 0.938, u109–u124 0.972)
# u125–u156 (the eighth set, session 6, in realdev's layouts only: u125–u140 forms, u141–u156 reports;
# recall 0.794 and 0.872, precision 0.989 and 0.997 when added)
EIGHTH_SET = tuple(f"u{n}_" for n in range(125, 157))
EIGHTH_SET_RECALL_FLOOR = 0.95  # 0.949 after the fixes it prompted (u125–u140 0.955, u141–u156 0.940); 0.959 after the ninth set's
FIFTH_SET_RECALL_FLOOR = 0.98  # 0.980 after the ninth set's; 0.948 after the fixes it prompted (general rules, each with a spec test in tests/extract); 0.971 after session 6's rules
# pages that only look like evaluations (绩效目标申报表, 决算, notices, templates, a monitoring form)
# given another document_kind: 7 of 8 (u38, a finance bureau's rating of an evaluation agency, is not); 8 of 10
# with the fifth set's two; 10 of 12 with the sixth's (u91, a procurement notice for an evaluation
# service, is not); 10 of 16 with the seventh's (its four near-misses, a finance bureau's results
# bulletin and appraisal notice, a rectification report and an internal audit report, are read as
# evaluations: no document kind names such pages yet); 13 of 20 with the eighth's (its 决算, 预算公开
# pages and u156's 项目绩效目标 page recognised: 14 of 20); 20 of 20 since notice, rectification,
# audit and appraisal are kinds (documents.toml [kind_genres])
# u157–u188 (the ninth set, session 7, realdev's layouts only: u157–u172 forms, u173–u188 reports
# with three near-misses; u180 holds two projects, two gold lines; recall 0.750 and 0.877,
# precision 0.990 and 1.000 when added (review scorer))
NINTH_SET = tuple(f"u{n}_" for n in range(157, 189))
NINTH_SET_RECALL_FLOOR = 0.91  # 0.786 when added (the session's two rules for grades and rates before it); 0.917 after the fixes it prompted
# u189–u220 (the tenth set, session 7, realdev's layouts only: u189–u212 forms, u213–u220 reports
# with a near-miss; u215 holds two projects, two gold lines; recall 0.830 and 0.896, precision
# 1.000 and 0.998 when added (review scorer), after the ninth set's rules)
TENTH_SET = tuple(f"u{n}_" for n in range(189, 221))
TENTH_SET_RECALL_FLOOR = 0.88  # 0.862 when added; 0.887 after the fixes it prompted
UNSEEN_OTHER_KINDS_FLOOR = 23  # 23 of 24 with the ninth and tenth sets (u187, a news item about a result, is read as an evaluation)


@pytest.fixture(scope="module")
def unseen() -> score.CorpusScore:
    return score.score_corpus("unseen")


def test_unseen_no_crashes(unseen):
    crashed = [f.file for f in unseen.files if f.crashed]
    assert not crashed, f"the parser raised on {crashed}"


def test_unseen_precision(unseen):
    t = unseen.totals()
    assert score.precision(t) >= UNSEEN_PRECISION_FLOOR, score.details(unseen)


def _part(unseen: score.CorpusScore, prefixes: tuple[str, ...] | None) -> score.CorpusScore:
    """The gold lines of one set (None: the first 28 documents, u01–u28)."""
    later = THIRD_SET + FOURTH_SET + FIFTH_SET + SIXTH_SET + SEVENTH_SET + EIGHTH_SET + NINTH_SET + TENTH_SET
    keep = (lambda f: not f.startswith(later)) if prefixes is None else (lambda f: f.startswith(prefixes))
    return score.CorpusScore(unseen.name, [f for f in unseen.files if keep(f.file)])


def test_unseen_recall(unseen):
    first = _part(unseen, None)
    assert len(first.files) == 28
    t = first.totals()
    assert score.recall(t) >= UNSEEN_RECALL_FLOOR, (
        f"recall {score.recall(t):.3f} < floor {UNSEEN_RECALL_FLOOR}\n" + score.details(first))


# each later set: its prefixes, its number of gold lines, its floor
LATER_SETS = {
    "third": (THIRD_SET, len(THIRD_SET), THIRD_SET_RECALL_FLOOR),
    "fourth": (FOURTH_SET, len(FOURTH_SET) + 1, FOURTH_SET_RECALL_FLOOR),  # u53: two projects, two gold lines
    "fifth": (FIFTH_SET, len(FIFTH_SET), FIFTH_SET_RECALL_FLOOR),
    "sixth": (SIXTH_SET, len(SIXTH_SET), SIXTH_SET_RECALL_FLOOR),
    "seventh": (SEVENTH_SET, len(SEVENTH_SET), SEVENTH_SET_RECALL_FLOOR),
    "eighth": (EIGHTH_SET, len(EIGHTH_SET), EIGHTH_SET_RECALL_FLOOR),
    "ninth": (NINTH_SET, len(NINTH_SET) + 1, NINTH_SET_RECALL_FLOOR),  # u180: two projects, two gold lines
    "tenth": (TENTH_SET, len(TENTH_SET) + 1, TENTH_SET_RECALL_FLOOR),  # u215: two projects, two gold lines
}


@pytest.mark.parametrize("name", list(LATER_SETS))
def test_unseen_later_set_recall(unseen, name):
    prefixes, lines, floor = LATER_SETS[name]
    part = _part(unseen, prefixes)
    assert len(part.files) == lines
    t = part.totals()
    assert score.recall(t) >= floor, f"{name} set: recall {score.recall(t):.3f} < floor {floor}\n" + score.details(part)


def test_unseen_document_kinds(unseen):
    k = unseen.kinds()
    assert k["other_recognised"] >= UNSEEN_OTHER_KINDS_FLOOR, k


def test_unseen_gold_covers_every_doc():
    d = score.ROOT / "tests" / "corpus" / "unseen"
    golds = score.read_gold(d / "gold.jsonl")
    # every document has a gold line; a document with several evaluations (u53) has one per evaluation
    assert sorted({g["file"] for g in golds}) == sorted(p.name for p in (d / "docs").glob("*.txt"))
