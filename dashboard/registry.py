"""The pages, in menu order: plain data. tests/dashboard/test_registry.py fails when this list and
the modules in dashboard/pages/ disagree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The browser tab's icon, a file of the repository: a Material icon name (":material/…") would make
# the browser fetch the icon from fonts.gstatic.com, which an intranet without internet cannot reach.
APP_ICON = str(Path(__file__).resolve().parent / "static" / "favicon.png")


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root, where `streamlit run streamlit_app.py` starts
    title: str
    icon: str
    url_path: str
    section: str
    help: str
    permission: str = "browse"  # what the user's role must allow (warehouse.users.PERMISSIONS)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard/pages/overview.py", "总览", ":material/dashboard:", "overview", "看板",
             ("所选范围最新一年与上年比较：总分中位数，等次为中或差的报告数，超支或执行率低于 90%、采购执行率低于 80%、"
              "满意度低于 90% 的单位数；按严重程度排列、按单位归组的预警，点“看原文”直达报告中的那一句；"
              "错误级数据质量标记；等次与总分分布。")),
    PageSpec("dashboard/pages/map.py", "地图", ":material/map:", "map", "看板",
             ("按省、市、县区着色的地图，颜色为一个年度的总分中位数、预警数或预算执行率中位数；"
              "点击地区或下方列表逐级下钻到县区，再列出该县区的报告。")),
    PageSpec("dashboard/pages/region_compare.py", "地区对比", ":material/leaderboard:", "regions", "看板",
             ("选一个指标和年度，同类报告（同一报告类型，自评与外部评价分开）的最高与最低排名和同类中位数，"
              "并列名次标明；按地区的分布，点击下钻；带报告链接的百分位表。")),
    PageSpec("dashboard/pages/trends.py", "年度趋势", ":material/trending_up:", "trends", "看板",
             ("总分、执行率和满意度的逐年变化：默认显示所选范围的中位数和总分比上年下降最多的单位，"
              "可另选单位比较；与上年相比升降最大的单位。")),
    PageSpec("dashboard/pages/execution.py", "预算与采购执行", ":material/account_balance:", "execution", "看板",
             ("预算执行（报告值与复算值、超支与低于 90%）、政府采购执行区间、“三公”经费控制，"
              "以及决算公开等非评价文件的收支；表中每行点开即到报告中的那个数字。")),
    PageSpec("dashboard/pages/satisfaction.py", "满意度", ":material/sentiment_satisfied:", "satisfaction", "看板",
             ("满意度的分布（直方图，按地区和调查对象的箱形图），最低的满意度，低于 90% 的占比；"
              "全部满意度数字逐行链接到报告原文。")),
    PageSpec("dashboard/pages/scores.py", "指标得分", ":material/grid_on:", "scores", "看板",
             ("各单位在决策、过程、产出、效益、满意度各维度的得分率（热力图），"
              "失分指标与原因（逐行链接到原文），自评与外部评价之差。")),
    PageSpec("dashboard/pages/report.py", "报告详情", ":material/description:", "report", "看板",
             ("一份评价的全部内容：得分表、关键数值、满意度、问题与建议、质量标记和原文全文，"
              "每个数字都能展开看到它在原文中的那一行；从预警或表格打开时，直接定位到那个数字和原文句子。")),
    PageSpec("dashboard/pages/quality.py", "数据质量", ":material/rule:", "quality", "数据",
             ("质量标记（按严重程度和类型筛选，错误在前，逐行链接到原文），"
              "按地区和年度的报告覆盖（范围内 m 个县区中的 n 个），文件类型，源文件与载入记录。")),
    PageSpec("dashboard/pages/sql_console.py", "SQL 查询", ":material/terminal:", "sql", "数据",
             "在只读、受限的连接上运行 SQL，浏览表结构，下载结果。", "sql"),
    PageSpec("dashboard/pages/import_reports.py", "导入报告", ":material/upload_file:", "import", "数据",
             "上传报告文件，先查看解析结果和质量标记，再载入数据仓库。", "import"),
    PageSpec("dashboard/pages/dictionary.py", "数据字典", ":material/menu_book:", "dictionary", "数据",
             "每个表、视图和字段的含义与单位（来自 COMMENT ON 说明）。"),
)


def url_path_of(path: str) -> str:
    """The URL path of the page module at `path` (for links between pages)."""
    return next(p.url_path for p in PAGES if p.path == path)
