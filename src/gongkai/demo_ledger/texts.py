"""Titles for the demo's records: what a 街道's 政务公开专栏 actually carries, by Art. 20 category."""

from __future__ import annotations

from gongkai.core.choices import ApplicantType, Art20Category, NotifyBy

# Category -> (科室 that drafts it, title templates). {y} year, {m} month, {n} a running number.
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    Art20Category.ART20_2: (
        "党政办公室",
        (
            "东花市街道办事处机构职能、办公地址及联系方式（{y}年{m}月更新）",
            "东花市街道领导分工调整情况（{y}年第{n}号）",
        ),
    ),
    Art20Category.ART20_3: (
        "党政办公室",
        ("东花市街道{y}年{m}月重点工作安排", "东花市街道“十三五”规划实施情况通报（第{n}期）"),
    ),
    Art20Category.ART20_4: (
        "党政办公室",
        ("东花市街道{y}年{m}月人口与社区基本情况统计", "东花市街道{y}年{m}月12345热线诉求办理统计"),
    ),
    Art20Category.ART20_5: (
        "社区服务中心",
        ("居住证办理服务指南（{y}年{m}月修订）", "社区服务事项办理结果公示（{y}年第{n}批）"),
    ),
    Art20Category.ART20_7: (
        "党政办公室",
        ("东花市街道办事处{y}年部门预算信息公开", "东花市街道办事处{y}年{m}月“三公”经费使用情况"),
    ),
    Art20Category.ART20_9: (
        "党政办公室",
        ("东花市街道{y}年政府集中采购项目实施情况（第{n}批）",),
    ),
    Art20Category.ART20_10: (
        "城市管理办公室",
        (
            "东花市北里老旧小区综合整治项目实施进展（第{n}期）",
            "广渠门内大街背街小巷环境整治工程公示（{y}年{m}月）",
        ),
    ),
    Art20Category.ART20_11: (
        "民生保障办公室",
        (
            "关于做好{y}年城乡居民基本医疗保险参保工作的通知（第{n}号）",
            "东花市街道{y}年{m}月城乡低保及特困人员救助情况公示",
            "关于开展{y}年就业援助月活动的通知（第{n}号）",
        ),
    ),
    Art20Category.ART20_12: (
        "平安建设办公室",
        ("东花市街道{y}年防汛应急预案（第{n}次修订）", "关于{y}年{m}月恶劣天气安全防范的提示"),
    ),
    Art20Category.ART20_13: (
        "城市管理办公室",
        ("东花市街道{y}年{m}月安全生产检查情况通报", "东花市街道{y}年{m}月餐饮单位食品安全检查情况"),
    ),
    Art20Category.ART20_14: (
        "党政办公室",
        ("东花市街道{y}年社区工作者招聘公告（第{n}号）", "东花市街道{y}年社区工作者拟录用人员公示"),
    ),
    Art20Category.ART20_15: (
        "社区建设办公室",
        (
            "东花市街道{y}年{m}月社区议事协商会议情况",
            "关于开展{y}年垃圾分类宣传月活动的通知（第{n}号）",
            "东花市街道“五方联席会”{y}年{m}月会议纪要",
        ),
    ),
}

# Categories whose items are 重点领域 (财政预决算、重大建设项目、社会保障、应急、安全生产和食品安全).
KEY_AREA_CATEGORIES = frozenset(
    {
        Art20Category.ART20_7,
        Art20Category.ART20_10,
        Art20Category.ART20_11,
        Art20Category.ART20_12,
        Art20Category.ART20_13,
    }
)
# Categories of the policies that interpretations explain.
POLICY_CATEGORIES = (Art20Category.ART20_11, Art20Category.ART20_15)

ARCHIVE_RECIPIENTS = ("东城区档案局（馆）", "东城区文化和旅游局", "东城区行政服务管理局")

PROCUREMENT_SUBJECTS = (
    "社区办公设备",
    "老旧小区楼道照明改造",
    "社区养老驿站服务",
    "垃圾分类桶站",
    "背街小巷保洁服务",
    "社区活动中心物业服务",
    "网格化监控设备维护",
    "消防器材更新",
    "便民服务网点标识",
    "社区绿化养护",
    "办公用纸及耗材",
    "政务网站运行维护",
)

WEIBO_TOPICS = (
    "#东花市在行动# 社区志愿者开展环境清洁日活动",
    "#垃圾分类# 东花市街道垃圾分类小课堂开课啦",
    "#平安东花市# 夏季防溺水安全提示",
    "#我为群众办实事# 东花市北里加装电梯进展",
    "#东花市微网格# 随手拍问题办理情况",
)
WECHAT_TOPICS = (
    "东花市街道社区服务中心本周服务时间提示",
    "便民服务网点信息更新",
    "网上课堂：老年人智能手机使用",
    "民意征集：社区微花园设计方案投票",
    "微循环交通系统线路调整",
)


def title(template: str, *, year: int, month: int, n: int) -> str:
    return template.format(y=year, m=month, n=n)


# The demo's 规范性文件, shown on its portal page and rendered into its PDF attachment.
PUBLIC_SPACE_RULES = [
    "第一条　为规范社区公共空间的使用和管理，推进居民议事协商，根据有关规定，结合本街道实际，制定本规则。",
    "第二条　本规则适用于本街道各社区内的公共绿地、广场、楼道、停车场地等公共空间的议事协商活动。",
    "第三条　社区居民委员会组织召开议事协商会议，应当提前五日公告议题、时间和地点，听取居民意见。",
    "第四条　议事协商结果应当在社区公示栏和街道政府信息公开专栏公开，公开期限不少于七日。",
    "第五条　本规则自发布之日起施行。",
]


# The current year's applicants, with the e-mail address their notices go to.
APPLICANTS = (
    ("王秀兰", ApplicantType.NATURAL_PERSON, "wangxiulan@example.com"),
    ("北京东花市物业管理有限公司", ApplicantType.COMMERCIAL, "wuye@example.com"),
    ("北京市某律师事务所", ApplicantType.LEGAL_SERVICE, "lvshi@example.com"),
    ("李国强", ApplicantType.NATURAL_PERSON, "liguoqiang@example.com"),
    ("东城区某社会组织服务中心", ApplicantType.PUBLIC_INTEREST, "shezu@example.com"),
    ("张海燕", ApplicantType.NATURAL_PERSON, "zhanghaiyan@example.com"),
)
# Most applicants chose e-mail for the office's notices; these chose a text message or a letter.
APPLICANT_NOTIFY_BY = {11: NotifyBy.SMS, 13: NotifyBy.POST, 16: NotifyBy.SMS}
