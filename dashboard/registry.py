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
             "报告、单位、地区和年度的数量，等次与总分分布，以及需要关注的预警清单。"),
    PageSpec("dashboard/pages/map.py", "地图", ":material/map:", "map", "看板",
             "按省、市、县区着色的地图（总分中位数、预警数或预算执行率），点击地区逐级下钻到县区和它的报告。"),
    PageSpec("dashboard/pages/region_compare.py", "地区对比", ":material/leaderboard:", "regions", "看板",
             "选一个指标，在所选地区和年度内给单位排名，与同类中位数比较。"),
    PageSpec("dashboard/pages/trends.py", "年度趋势", ":material/trending_up:", "trends", "看板",
             "单位逐年的总分、执行率和满意度，以及升降最大的单位。"),
    PageSpec("dashboard/pages/execution.py", "预算与采购执行", ":material/account_balance:", "execution", "看板",
             "预算与支出（报告值与复算值）、政府采购执行区间、“三公”经费控制。"),
    PageSpec("dashboard/pages/satisfaction.py", "满意度", ":material/sentiment_satisfied:", "satisfaction", "看板",
             "满意度按年度、地区和调查对象的分布，低于 90% 的占比。"),
    PageSpec("dashboard/pages/scores.py", "指标得分", ":material/grid_on:", "scores", "看板",
             "各单位在决策、过程、产出、效益、满意度各维度的得分率，失分指标与原因，自评与外部评价之差。"),
    PageSpec("dashboard/pages/report.py", "报告详情", ":material/description:", "report", "看板",
             "一份评价的全部内容，每个数字都能展开看到它在原文中的那一行。"),
    PageSpec("dashboard/pages/quality.py", "数据质量", ":material/rule:", "quality", "数据",
             "全部质量标记，报告覆盖情况（m 个中的 n 个），读取失败的文件。"),
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
