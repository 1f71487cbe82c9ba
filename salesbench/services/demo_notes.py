"""What a demo rep writes down, in the rep's own language: a contact's summary by the
deal's playbook and the channel (a call is never "a site visit"), the objections heard,
complaints and how they were settled, the job titles of a customer's people."""

from __future__ import annotations

SUMMARIES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("retail-5", "en"): {
        "visit": (
            "Came to the showroom and tried the corner sofas",
            "Walked the bedroom displays with their partner",
        ),
        "call": (
            "Called about the delivery time of the dining set",
            "Talked through fabric and leather options",
        ),
        "email": ("Sent the catalogue and price list", "Emailed layout ideas for the living room"),
        "message": (
            "Sent photos of the style they liked",
            "Answered their warranty questions by message",
        ),
        "meeting": (
            "Measured the living room at their home",
            "Went through the layout at the flat",
        ),
    },
    ("retail-5", "zh-CN"): {
        "visit": ("到店体验了转角沙发", "和家人一起看了卧室样板间"),
        "call": ("电话沟通了餐桌椅的交期", "电话介绍了布艺和真皮的区别"),
        "email": ("发送了产品图册和价目表", "邮件发送了客厅搭配建议"),
        "message": ("微信发送了客户喜欢风格的实拍图", "微信解答了质保问题"),
        "meeting": ("上门测量了客厅尺寸", "在新房现场讨论了布局"),
    },
    ("b2b-lifecycle", "en"): {
        "visit": (
            "Visited their offices to see the current furniture",
            "Met the facilities manager on site",
        ),
        "call": (
            "Called purchasing about this quarter's volume",
            "Discussed payment terms with their finance team",
        ),
        "email": ("Sent the company introduction and references", "Emailed the revised quotation"),
        "message": ("Confirmed the meeting time by message", "Sent the delivery schedule"),
        "meeting": (
            "Presented the proposal to the purchasing team",
            "Went through the contract clauses with their legal team",
        ),
    },
    ("b2b-lifecycle", "zh-CN"): {
        "visit": ("上门查看了办公区现有家具", "现场见了行政经理"),
        "call": ("电话了解本季度采购量", "和对方财务电话沟通付款条件"),
        "email": ("发送了公司介绍和客户案例", "邮件发送了修改后的报价"),
        "message": ("微信确认了会议时间", "微信发送了送货排期"),
        "meeting": ("向采购团队讲解了方案", "和对方法务过了合同条款"),
    },
    ("solution-selling", "en"): {
        "visit": (
            "Visited the sponsor to hear their ideas",
            "Walked the warehouse with the operations lead",
        ),
        "call": (
            "Called the sponsor about the project timeline",
            "Discussed the scope with their IT lead",
        ),
        "email": ("Sent the meeting notes and next steps", "Emailed a case from their industry"),
        "message": ("Confirmed the workshop date by message", "Shared the demo recording"),
        "meeting": (
            "Workshop on the current process and its pain points",
            "Presented the value case to the decision maker",
        ),
    },
    ("solution-selling", "zh-CN"): {
        "visit": ("拜访发起人，听取项目想法", "和运营负责人一起走访了仓库"),
        "call": ("电话沟通项目时间表", "和对方 IT 负责人电话讨论范围"),
        "email": ("发送会议纪要和下一步安排", "邮件发送同行业成功案例"),
        "message": ("微信确认了研讨会日期", "微信分享了演示录屏"),
        "meeting": ("组织现状流程与痛点研讨会", "向决策人呈现了价值方案"),
    },
}
OBJECTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("retail-5", "en"): (
        "The price is on the high side",
        "Wants to ask the family first",
        "Worried about the delivery time",
    ),
    ("retail-5", "zh-CN"): ("价格偏高", "需要和家人商量", "担心交货时间"),
    ("b2b-lifecycle", "en"): (
        "The budget is fixed until next quarter",
        "Already buys from a competitor",
        "The payment terms are too short",
    ),
    ("b2b-lifecycle", "zh-CN"): ("预算要等下季度", "已有合作供应商", "付款周期太短"),
    ("solution-selling", "en"): (
        "Not sure about the timing",
        "Worried about the rollout risk",
        "The board has not approved the budget",
    ),
    ("solution-selling", "zh-CN"): ("时机还不确定", "担心实施风险", "预算尚未经董事会批准"),
}
# a complaint as the rep took it down, and how it was settled
COMPLAINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("The delivery came two days late", "Delivered, with a goodwill discount"),
        ("The wrong colour was delivered", "Replaced with the right colour"),
        ("The installer arrived late", "Apologised and rebooked the installation"),
        ("The invoice amount is wrong", "Sent a corrected invoice"),
    ),
    "zh-CN": (
        ("送货延迟两天", "已送达并给予补偿折扣"),
        ("送错了颜色", "已换成正确颜色"),
        ("安装师傅迟到", "已致歉并重新预约安装"),
        ("发票金额有误", "已重开正确发票"),
    ),
}
CONTACT_TITLES: dict[str, tuple[str, ...]] = {
    "en": ("Purchasing manager", "General manager", "IT director", "Owner", "Finance director"),
    "zh-CN": ("采购经理", "总经理", "IT 总监", "老板", "财务总监"),
}
