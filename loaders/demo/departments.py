"""The other departments of a county that publish evaluation reports beside its trade union
(群团 bodies, bureaus, commissions, a hospital, a school, a service centre), with the projects
their reports evaluate. Plain data, written for the demo; the templates pick from it with their
seeded generators. Names are built on the county's own name: "{region}" is 信丰县 or
南昌市青云谱区, "{k}" its level word (县 / 区 / 市 / 旗).
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.demo.catalog import Project


@dataclass(frozen=True)
class Department:
    key: str
    name: str  # "{region}妇女联合会"
    short: str  # "{k}妇联": how its reports call it
    self_word: str  # 我会 / 我局 / 我委 / 我院 / 我校 / 我中心
    duties: str  # one sentence of its functions
    offices: tuple[str, ...]  # internal offices (a distractor count in reports)
    satisfaction_group: str  # who is asked in its satisfaction survey
    projects: tuple[Project, ...]


DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "women", "{region}妇女联合会", "{k}妇联", "我会",
        "团结引导各族各界妇女听党话、跟党走，代表和维护妇女权益，促进男女平等和妇女儿童全面发展",
        ("办公室", "权益部", "发展部"), "妇女群众",
        (
            Project("women_rights", "妇女儿童维权服务", "妇女儿童维权服务项目用于妇女儿童法律援助、婚姻家庭纠纷调解和反家暴宣传",
                    (5, 30), (("办理妇女儿童维权案件数", "件", 20, 120), ("开展普法宣传活动次数", "次", 6, 30)),
                    (("维权案件办结率", "pct"),), (("妇女儿童合法权益得到保障", "yes"),), ("维权服务长效机制运行",)),
            Project("women_screening", "农村妇女“两癌”筛查救助", "“两癌”筛查救助项目用于农村适龄妇女宫颈癌、乳腺癌免费筛查和患病妇女救助",
                    (10, 80), (("完成“两癌”筛查人数", "人", 2000, 12000), ("救助患病妇女人数", "人", 10, 80)),
                    (("筛查结果告知率", "pct"),), (("患病妇女家庭负担减轻", "yes"),), ("筛查救助工作常态化",)),
            Project("women_training", "巾帼家政技能培训", "巾帼家政技能培训项目用于农村妇女家政服务、育婴和电商技能培训",
                    (5, 40), (("培训农村妇女人数", "人", 200, 1500), ("举办培训班期数", "期", 4, 20)),
                    (("培训考核合格率", "pct"),), (("参训妇女就业增收", "yes"),), ("技能培训长期开展",)),
        ),
    ),
    Department(
        "youth", "共青团{region}委员会", "团{k}委", "我委",
        "团结教育青年，组织青年参与经济社会建设，做好青少年权益维护和志愿服务工作",
        ("办公室", "组织部", "宣传部"), "服务对象",
        (
            Project("youth_hope", "希望工程助学", "希望工程助学项目用于资助家庭经济困难学生完成学业",
                    (5, 60), (("资助困难学生人数", "人", 50, 600),), (("资助对象符合条件", "yes"),),
                    (("受助学生家庭教育负担减轻", "yes"),), ("助学工作长期开展",)),
            Project("youth_volunteer", "青少年志愿服务", "青少年志愿服务项目用于志愿者招募培训和志愿服务活动开展",
                    (3, 30), (("招募注册志愿者人数", "人", 300, 3000), ("开展志愿服务活动场次", "场", 20, 200)),
                    (("志愿者培训合格率", "pct"),), (("社会文明程度提升", "ongoing"),), ("志愿服务常态化",)),
            Project("youth_west", "大学生志愿服务西部计划", "西部计划项目用于服务期志愿者生活补贴、保险和培训",
                    (10, 120), (("在岗西部计划志愿者人数", "人", 10, 80),), (("志愿者在岗率", "pct"),),
                    (("基层服务力量得到充实", "yes"),), ("志愿者服务期满留用",)),
        ),
    ),
    Department(
        "disabled", "{region}残疾人联合会", "{k}残联", "我会",
        "代表残疾人共同利益，维护残疾人合法权益，开展残疾人康复、教育、就业和社会保障服务",
        ("办公室", "康复部", "就业服务所"), "残疾人及其家属",
        (
            Project("disabled_rehab", "残疾人康复救助", "残疾人康复救助项目用于残疾儿童康复训练、辅助器具适配和精神残疾人服药资助",
                    (20, 150), (("残疾儿童康复救助人数", "人", 20, 200), ("辅助器具适配人数", "人", 100, 800)),
                    (("康复服务达标率", "pct"),), (("残疾人生活质量改善", "yes"),), ("康复服务长期开展",)),
            Project("disabled_jobs", "残疾人就业培训", "残疾人就业培训项目用于残疾人实用技术培训和就业创业扶持",
                    (5, 40), (("培训残疾人人数", "人", 100, 900),), (("培训合格率", "pct"),),
                    (("残疾人就业率", "pct"),), ("就业帮扶长效运行",)),
        ),
    ),
    Department(
        "science", "{region}科学技术协会", "{k}科协", "我会",
        "组织开展科学普及，弘扬科学精神，为科技工作者服务，推动全民科学素质提升",
        ("办公室", "科普部"), "参与群众",
        (
            Project("sci_rural", "科普惠农兴村", "科普惠农兴村项目用于农村科普示范基地建设和农业实用技术培训",
                    (5, 40), (("开展农业技术培训场次", "场", 10, 80), ("培训农民人次", "人次", 500, 6000)),
                    (("培训满意合格率", "pct"),), (("农民科学素质提高", "yes"),), ("科普阵地长期运行",)),
            Project("sci_day", "全国科普日活动", "科普日活动项目用于科普展览、科普讲座和青少年科技竞赛",
                    (3, 20), (("举办科普活动场次", "场", 10, 60),), (("活动组织规范", "yes"),),
                    (("公众科学素质提升", "ongoing"),), ("科普活动常态化",)),
        ),
    ),
    Department(
        "red_cross", "{region}红十字会", "{k}红十字会", "我会",
        "开展人道救助、应急救护培训和无偿献血、造血干细胞捐献宣传动员",
        ("办公室", "赈济救护部"), "受助群众",
        (
            Project("rc_aid", "人道救助", "人道救助项目用于困难群众大病救助和受灾群众生活救助",
                    (5, 50), (("救助困难群众人数", "人", 50, 500),), (("救助对象认定准确", "yes"),),
                    (("困难群众生活困难缓解", "yes"),), ("救助机制长期运行",)),
            Project("rc_training", "应急救护培训", "应急救护培训项目用于普及性培训和救护员持证培训",
                    (3, 30), (("培训救护员人数", "人", 200, 2000), ("普及培训人次", "人次", 2000, 20000)),
                    (("救护员取证率", "pct"),), (("群众自救互救能力提升", "yes"),), ("培训长期开展",)),
        ),
    ),
    Department(
        "agriculture", "{region}农业农村局", "{k}农业农村局", "我局",
        "贯彻落实农业农村工作方针政策，统筹乡村振兴、农村人居环境整治和农业产业发展",
        ("办公室", "计划财务股", "农村社会事业股", "种植业股"), "受益农户",
        (
            Project("agri_toilet", "农村户厕改造", "农村户厕改造项目用于农村卫生户厕新建和改造提升补助",
                    (100, 900), (("改造提升农村户用卫生厕所数量", "户", 500, 4000), ("完成整治村庄数量", "个", 20, 160)),
                    (("户厕改造验收合格率", "pct"),), (("农村人居环境改善", "yes"),), ("户厕长效管护机制运行",)),
            Project("agri_farmland", "高标准农田建设", "高标准农田建设项目用于田块整治、灌溉排水和田间道路建设",
                    (300, 2500), (("建成高标准农田面积", "亩", 5000, 40000),), (("工程验收合格率", "pct"),),
                    (("粮食综合生产能力提升", "yes"),), ("工程管护长期运行",)),
            Project("agri_subsidy", "耕地地力保护补贴", "耕地地力保护补贴项目用于向承包耕地的农民发放补贴",
                    (500, 4000), (("补贴发放户数", "户", 20000, 120000),), (("补贴资金发放准确率", "pct"),),
                    (("农民种粮积极性提高", "yes"),), ("补贴政策长期执行",)),
        ),
    ),
    Department(
        "health", "{region}卫生健康委员会", "{k}卫健委", "我委",
        "组织实施基本公共卫生服务和重大疾病防控，推进医疗卫生服务体系建设",
        ("办公室", "规划财务股", "疾病预防控制股", "基层卫生股"), "城乡居民",
        (
            Project("health_basic", "基本公共卫生服务", "基本公共卫生服务项目用于居民健康档案管理、慢性病患者健康管理和老年人健康体检",
                    (300, 2000), (("老年人健康管理人数", "人", 5000, 40000), ("高血压患者规范管理人数", "人", 3000, 20000)),
                    (("居民电子健康档案建档率", "pct"),), (("居民健康素养水平提升", "ongoing"),), ("服务长期开展",)),
            Project("health_family", "计划生育家庭奖励扶助", "奖励扶助项目用于农村部分计划生育家庭奖励扶助金和特别扶助金发放",
                    (50, 600), (("发放奖励扶助金人数", "人", 2000, 15000),), (("扶助金足额发放率", "pct"),),
                    (("计生家庭生活保障提高", "yes"),), ("扶助制度长期执行",)),
        ),
    ),
    Department(
        "education", "{region}教育局", "{k}教育局", "我局",
        "统筹管理全{k}各级各类教育，组织实施义务教育和学生资助政策",
        ("办公室", "计划财务股", "基础教育股", "学生资助管理中心"), "学生家长",
        (
            Project("edu_meals", "义务教育学生营养改善计划", "营养改善计划项目用于农村义务教育学生营养膳食补助",
                    (200, 1500), (("受益学生人数", "人", 5000, 40000),), (("食品安全事故发生数为零", "yes"),),
                    (("学生营养健康状况改善", "yes"),), ("营养改善计划长期实施",)),
            Project("edu_teachers", "乡村教师生活补助", "乡村教师生活补助项目用于乡村学校在编在岗教师生活补助发放",
                    (100, 900), (("享受补助乡村教师人数", "人", 500, 3000),), (("补助按时足额发放率", "pct"),),
                    (("乡村教师队伍稳定", "yes"),), ("补助政策长期执行",)),
        ),
    ),
    Department(
        "civil", "{region}民政局", "{k}民政局", "我局",
        "负责社会救助、养老服务、基层政权建设和社会事务管理",
        ("办公室", "社会救助股", "养老服务股"), "救助对象",
        (
            Project("civil_relief", "临时救助", "临时救助项目用于遭遇突发性、紧迫性困难家庭的临时生活救助",
                    (30, 300), (("临时救助人次", "人次", 300, 3000),), (("救助资金发放准确率", "pct"),),
                    (("困难群众基本生活得到保障", "yes"),), ("救助制度长期执行",)),
            Project("civil_elderly", "高龄津贴发放", "高龄津贴项目用于八十周岁以上老年人高龄津贴发放",
                    (50, 500), (("发放高龄津贴人数", "人", 2000, 15000),), (("津贴按月足额发放率", "pct"),),
                    (("老年人获得感提升", "yes"),), ("津贴制度长期执行",)),
        ),
    ),
    Department(
        "culture", "{region}文化和旅游局", "{k}文旅局", "我局",
        "负责公共文化服务、文化遗产保护和旅游市场管理",
        ("办公室", "公共服务股", "文化遗产股"), "群众",
        (
            Project("culture_heritage", "非物质文化遗产保护", "非遗保护项目用于非遗项目记录整理、传承人补助和非遗进校园展演",
                    (10, 60), (("记录整理非遗项目数量", "项", 5, 30), ("开展非遗展演场次", "场", 5, 40)),
                    (("资料归档完整率", "pct"),), (("非遗传承氛围增强", "ongoing"),), ("非遗保护长效机制",)),
            Project("culture_open", "公共文化场馆免费开放", "免费开放项目用于图书馆、文化馆和乡镇综合文化站免费开放运行",
                    (20, 150), (("开展公益文化活动场次", "场", 50, 400),), (("场馆开放时间达标率", "pct"),),
                    (("群众文化生活丰富", "ongoing"),), ("场馆长期免费开放",)),
        ),
    ),
    Department(
        "hospital", "{region}人民医院", "{k}人民医院", "我院",
        "承担全{k}基本医疗、急危重症救治和基层医疗机构业务指导",
        ("医务科", "财务科", "护理部", "设备科"), "患者",
        (
            Project("hosp_equipment", "医疗设备购置", "医疗设备购置项目用于购置彩色多普勒超声诊断仪、全自动生化分析仪等设备",
                    (100, 900), (("购置医疗设备台数", "台", 5, 40),), (("设备验收合格率", "pct"),),
                    (("诊疗服务能力提升", "yes"),), ("设备长期有效运行",)),
            Project("hosp_specialty", "重点专科建设", "重点专科建设项目用于胸痛中心、卒中中心建设和专科人才培养",
                    (50, 400), (("培训专科医护人员人次", "人次", 30, 300),), (("专科建设达标", "yes"),),
                    (("急危重症救治成功率", "pct"),), ("专科持续发展",)),
        ),
    ),
    Department(
        "school", "{region}第一中学", "{k}一中", "我校",
        "实施高中阶段教育，落实学生资助和教学条件改善",
        ("校长办公室", "教务处", "总务处"), "学生及家长",
        (
            Project("school_funds", "学校公用经费", "公用经费项目用于学校日常运转、教学设备维护和教师培训",
                    (50, 400), (("保障在校学生人数", "人", 1000, 5000),), (("经费使用合规", "yes"),),
                    (("教学秩序正常运转", "yes"),), ("学校持续正常运转",)),
            Project("school_aid", "普通高中国家助学金", "国家助学金项目用于资助家庭经济困难高中学生",
                    (20, 200), (("资助困难学生人数", "人", 100, 1000),), (("资助资金按时足额发放率", "pct"),),
                    (("困难学生顺利完成学业", "yes"),), ("资助政策长期执行",)),
        ),
    ),
    Department(
        "service", "{region}政务服务中心", "{k}政务服务中心", "我中心",
        "负责政务服务大厅运行管理，推进“一网通办”和“最多跑一次”改革",
        ("综合股", "窗口管理股"), "办事群众",
        (
            Project("svc_hall", "政务服务大厅运行", "政务服务大厅运行项目用于大厅物业、窗口人员和设备运维",
                    (30, 200), (("办理政务服务事项件数", "件", 20000, 200000),), (("按时办结率", "pct"),),
                    (("企业群众办事便利度提升", "yes"),), ("大厅长期运行",)),
            Project("svc_online", "“一网通办”平台运维", "平台运维项目用于政务服务网和自助终端运行维护",
                    (10, 80), (("网上可办事项数", "项", 300, 1500),), (("平台正常运行率", "pct"),),
                    (("群众网上办事比例提高", "yes"),), ("平台长期稳定运行",)),
        ),
    ),
)

DEPARTMENT_BY_KEY = {d.key: d for d in DEPARTMENTS}
DEPARTMENT_KEYS = tuple(d.key for d in DEPARTMENTS)
DEPARTMENT_PROJECTS = {p.key: p for d in DEPARTMENTS for p in d.projects}


def project_of(key: str) -> Project:
    """A project of the union's portfolio (catalog.PROJECTS) or of another department."""
    from loaders.demo.catalog import PROJECT_BY_KEY

    return PROJECT_BY_KEY.get(key) or DEPARTMENT_PROJECTS[key]


def issuer_of(place, key: str):
    """The unit writing a document: "union" (the county's trade union) or a department key."""
    from loaders.demo.world import Issuer

    if key == "union":
        return Issuer("union", place.unit_name, place.short, "我会")
    d = DEPARTMENT_BY_KEY[key]
    k = place.kind_char
    return Issuer(key, d.name.format(region=place.region, k=k), d.short.format(k=k), d.self_word)


# A department's budget, in 万元, around these (a bureau spends more than a 群团 body).
_BUDGET_BASE = {
    "women": 120, "youth": 110, "disabled": 260, "science": 90, "red_cross": 80, "agriculture": 2600,
    "health": 1800, "education": 5200, "civil": 1500, "culture": 420, "hospital": 9000, "school": 2400,
    "service": 380,
}


def department_year(prof, key: str, year: int):
    """How a department does in a year: the same fields as the union's UnitYear, drawn from the
    department's own seeded generators (so adding departments changes nothing of the union's)."""
    import math

    from loaders.demo.textdoc import q
    from loaders.demo.world import UnitYear, rng_for

    code = prof.place.admin_code
    base_rng = rng_for(prof.seed, "dept", code, key)
    base = math.exp(base_rng.gauss(math.log(_BUDGET_BASE[key]), 0.5))
    auth = max(4, round(base_rng.gauss(6 + math.sqrt(_BUDGET_BASE[key]) / 2, 4)))
    bias = base_rng.gauss(0, 0.8)
    yr = rng_for(prof.seed, "dept-year", code, key, year)
    level = 0.6 * bias + 0.8 * yr.gauss(0, 1)
    budget = base * (1.03 ** (year - 2015)) * yr.uniform(0.92, 1.1)
    exec_pct = min(110.0, max(70.0, 97 + yr.gauss(0, 4) - (yr.uniform(5, 20) if yr.random() < 0.12 else 0)))
    proc = yr.uniform(0.5, 15) if yr.random() < 0.15 else min(100.0, max(30.0, yr.gauss(88, 12)))
    return UnitYear(
        year=year,
        level=level,
        self_total=q(min(100.0, max(76.0, 94.5 + 2.2 * level + yr.gauss(0, 1.2))), 1),
        external_total=q(min(95.0, max(66.0, 83.5 + 3.4 * level + yr.gauss(0, 2.4))), 2),
        budget_wan=q(budget, 2),
        exec_pct=q(exec_pct, 2),
        procurement_exec_pct=q(proc, 2),
        satisfaction_pct=q(min(100.0, max(75.0, 93 + 3 * level + yr.gauss(0, 3))), 0),
        headcount_authorised=auth,
        headcount_actual=max(1, auth - max(0, round(yr.gauss(1, 1.5)))),
    )
