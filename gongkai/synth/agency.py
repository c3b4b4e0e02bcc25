"""Fictional agencies: name, self references, areas of work and superior.

Departments come with the areas of work their narrative talks about; towns
and streets get the areas of a township government.
"""

from __future__ import annotations

import random

# (department, self references, provincial form, areas of work)
_DEPARTMENTS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    (
        "自然资源局",
        ("我局", "本局"),
        "自然资源厅",
        ("国土空间规划", "建设用地审批", "不动产登记", "耕地保护", "土地征收", "矿产资源管理"),
    ),
    (
        "生态环境局",
        ("我局", "本局"),
        "生态环境厅",
        ("环境影响评价审批", "排污许可", "环境质量监测", "生态环境执法", "突发环境事件应对"),
    ),
    (
        "住房和城乡建设局",
        ("我局", "本局"),
        "住房和城乡建设厅",
        ("建筑工程施工许可", "保障性住房", "老旧小区改造", "物业管理", "建筑市场监管"),
    ),
    (
        "人力资源和社会保障局",
        ("我局", "本局"),
        "人力资源和社会保障厅",
        ("社会保险待遇", "就业创业补贴", "职业技能培训", "劳动保障监察", "事业单位公开招聘"),
    ),
    (
        "市场监督管理局",
        ("我局", "本局"),
        "市场监督管理局",
        ("食品安全抽检", "经营主体登记", "特种设备安全", "价格监督检查", "知识产权保护"),
    ),
    (
        "交通运输局",
        ("我局", "本局"),
        "交通运输厅",
        ("农村公路建设", "道路运输许可", "公交线路调整", "超限超载治理", "交通工程招投标"),
    ),
    (
        "教育局",
        ("我局", "本局"),
        "教育厅",
        ("义务教育招生", "学校收费", "学生资助", "校园安全", "教师招聘"),
    ),
    (
        "卫生健康委员会",
        ("我委", "本委"),
        "卫生健康委员会",
        ("医疗机构监管", "基本公共卫生服务", "计划生育奖励扶助", "传染病防控", "医疗卫生人才招聘"),
    ),
    (
        "农业农村局",
        ("我局", "本局"),
        "农业农村厅",
        ("耕地地力保护补贴", "高标准农田建设", "动物防疫", "农村集体资产管理", "农产品质量安全"),
    ),
    (
        "水利局",
        ("我局", "本局"),
        "水利厅",
        ("河湖长制", "取水许可", "水利工程建设", "防汛抗旱", "农村饮水安全"),
    ),
    (
        "财政局",
        ("我局", "本局"),
        "财政厅",
        ("预决算公开", "惠民惠农补贴资金", "政府采购监管", "国有资产管理", "政府债务管理"),
    ),
    (
        "应急管理局",
        ("我局", "本局"),
        "应急管理厅",
        ("安全生产执法", "应急预案管理", "自然灾害救助", "危险化学品监管", "防灾减灾宣传"),
    ),
    (
        "民政局",
        ("我局", "本局"),
        "民政厅",
        ("最低生活保障", "特困人员供养", "养老服务", "社会组织登记", "婚姻登记"),
    ),
    (
        "医疗保障局",
        ("我局", "本局"),
        "医疗保障局",
        ("医保待遇", "医药价格", "定点医药机构管理", "医保基金监管", "异地就医"),
    ),
    (
        "城市管理局",
        ("我局", "本局"),
        "住房和城乡建设厅",
        ("市容环境整治", "违法建设查处", "生活垃圾分类", "户外广告设置", "市政设施维护"),
    ),
    (
        "发展和改革委员会",
        ("我委", "本委"),
        "发展和改革委员会",
        ("重点项目建设", "价格管理", "粮食储备", "招标投标监管", "节能审查"),
    ),
    (
        "人民政府办公室",
        ("我办", "本办"),
        "人民政府办公厅",
        ("政策文件发布", "重大决策预公开", "政务服务", "政府常务会议", "12345热线办理"),
    ),
    (
        "统计局",
        ("我局", "本局"),
        "统计局",
        ("统计数据发布", "统计执法检查", "经济普查", "统计调查", "统计信息服务"),
    ),
    (
        "文化广电和旅游局",
        ("我局", "本局"),
        "文化和旅游厅",
        ("文化市场执法", "旅游景区管理", "文物保护", "公共文化服务", "广播电视管理"),
    ),
    (
        "退役军人事务局",
        ("我局", "本局"),
        "退役军人事务厅",
        ("优抚对象待遇", "退役士兵安置", "烈士褒扬", "就业创业扶持", "军休服务"),
    ),
)
_TOWN_AREAS = (
    "征地拆迁补偿",
    "低保救助",
    "乡村振兴",
    "农村人居环境整治",
    "村级财务公开",
    "惠农补贴发放",
    "网格化管理",
    "危房改造",
)
_PROVINCES = (
    "河北",
    "山西",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
)
_PLACE_A = "清临安东西南白青长永宁平泰兴和云华金石桃柳梅松溪丰凤龙桂玉"
_PLACE_B = "河川安平宁阳山江源城溪州丰林水昌德台湖泉峰口沟"
_TOWN_B = ("桥", "坪", "湾", "岭", "铺", "集", "店", "庄", "塘", "坝")


AGENCY_LEVELS: tuple[str, ...] = ("province", "city", "county", "district", "town", "street")


def random_agency(
    rng: random.Random, levels: tuple[str, ...] | None = None
) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """A fictional agency: (name, self references, areas of work, superior).

    ``levels`` limits the administrative level (see ``AGENCY_LEVELS``).
    """

    def place() -> str:
        return rng.choice(_PLACE_A) + rng.choice(_PLACE_B)

    weights = dict(zip(AGENCY_LEVELS, (1, 3, 4, 3, 2, 1), strict=True))
    allowed = [lv for lv in AGENCY_LEVELS if levels is None or lv in levels]
    kind = rng.choices(allowed, [weights[lv] for lv in allowed])[0]
    dept, selves, prov_name, areas = rng.choice(_DEPARTMENTS)
    if kind == "province":
        prov = rng.choice(_PROVINCES)
        if prov_name.endswith("厅"):
            selves = ("我厅", "本厅")
        return f"{prov}省{prov_name}", selves, areas, "省委、省政府"
    if kind == "city":
        return f"{place()}市{dept}", selves, areas, "市委、市政府"
    if kind == "county":
        return f"{place()}县{dept}", selves, areas, "县委、县政府"
    if kind == "district":
        return f"{place()}市{place()}区{dept}", selves, areas, "区委、区政府"
    if kind == "town":
        town = rng.choice(_PLACE_A) + rng.choice(_TOWN_B)
        if rng.random() < 0.7:
            return f"{place()}县{town}镇人民政府", ("我镇", "镇政府"), _TOWN_AREAS, "县委、县政府"
        return f"{place()}县{town}乡人民政府", ("我乡", "乡政府"), _TOWN_AREAS, "县委、县政府"
    street = place()
    return (
        f"{place()}市{place()}区{street}街道办事处",
        ("本街道", "街道办事处"),
        _TOWN_AREAS,
        "区委、区政府",
    )
