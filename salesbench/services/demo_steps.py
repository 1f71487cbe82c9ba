"""The next steps a rep agrees with a customer, by the deal's playbook, the rep's
language and the stage the deal is at: a showroom visitor is invited back, a contract
is chased, never the other way round."""

from __future__ import annotations

NEXT_STEPS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("retail-5", "en"): {
        "first_contact": (
            "Send photos of the pieces they liked",
            "Invite them back to the showroom at the weekend",
            "Add them on WeChat and send the catalogue",
        ),
        "build_trust": (
            "Send reviews from customers nearby",
            "Book a home measuring visit",
            "Send the video of a finished home in their style",
        ),
        "confirm_needs": (
            "Get the floor plan",
            "Confirm the move-in date",
            "Confirm the budget with both partners",
        ),
        "recommend": (
            "Send the layout drawing with the chosen pieces",
            "Bring fabric samples to the next visit",
            "Send the quotation for the shortlist",
        ),
        "negotiation": (
            "Remind them the promotion ends on Sunday",
            "Agree the delivery date",
            "Collect the deposit",
        ),
    },
    ("retail-5", "zh-CN"): {
        "first_contact": ("发送客户看中款式的照片", "邀请周末再来展厅", "加微信发电子图册"),
        "build_trust": ("发送附近老客户的评价", "预约上门测量", "发送同风格完工实景视频"),
        "confirm_needs": ("拿到户型图", "确认入住时间", "和夫妻双方确认预算"),
        "recommend": ("发送搭配方案效果图", "下次到店带面料小样", "发送意向款式的报价"),
        "negotiation": ("提醒活动本周日截止", "敲定送货日期", "收取定金"),
    },
    ("b2b-lifecycle", "en"): {
        "lead_development": (
            "Send the company introduction",
            "Call the purchasing office",
            "Find out who decides on purchasing",
        ),
        "lead_screening": (
            "Confirm the budget range",
            "Ask about their yearly volume",
            "Map the decision chain",
        ),
        "needs_research": (
            "Visit the site and list the current problems",
            "Interview the facilities manager",
            "Collect the office floor plans",
        ),
        "solution": (
            "Present the proposal to the purchasing team",
            "Send the revised layout proposal",
            "Answer the questions from the presentation",
        ),
        "negotiation": (
            "Send the revised quotation",
            "Agree the payment terms",
            "Compare terms with the competitor's offer",
        ),
        "contract": (
            "Send the contract draft to their legal team",
            "Chase the signed contract",
            "Confirm the custom clauses",
        ),
        "order_execution": (
            "Confirm the delivery window",
            "Book the installation team",
            "Send the acceptance report",
        ),
        "account_maintenance": (
            "Hold the quarterly account review",
            "Ask for a referral",
            "Offer the restock discount",
        ),
    },
    ("b2b-lifecycle", "zh-CN"): {
        "lead_development": ("发送公司介绍", "致电采购部", "找到采购决策人"),
        "lead_screening": ("确认预算范围", "了解年采购量", "梳理决策链"),
        "needs_research": ("上门调研现有问题", "访谈行政经理", "收集办公区平面图"),
        "solution": ("向采购团队讲解方案", "发送修改后的布局方案", "答复方案会上的问题"),
        "negotiation": ("发送修改后的报价", "商定付款条件", "对比竞品报价条款"),
        "contract": ("把合同草案发给对方法务", "催回签字合同", "确认特殊条款"),
        "order_execution": ("确认送货时间窗口", "预约安装团队", "发送验收报告"),
        "account_maintenance": ("季度客户回顾", "请客户推荐新客户", "提供补货折扣"),
    },
    ("solution-selling", "en"): {
        "develop_opportunity": (
            "Book the first meeting with the sponsor",
            "Send a reference case from their industry",
            "Ask for an introduction to the decision maker",
        ),
        "guide_needs": (
            "Send the summary of their pain points",
            "Run a workshop on the target process",
            "Send the letter confirming the shared vision",
        ),
        "set_criteria": (
            "Agree the selection scorecard",
            "Confirm the project scope",
            "Arrange a visit to a reference customer",
        ),
        "present_value": (
            "Present the return on investment to the decision maker",
            "Run the demo for the key users",
            "Send the cost comparison",
        ),
        "realize_sale": (
            "Agree the signing date",
            "Send the final commercial offer",
            "Plan the kickoff with their team",
        ),
    },
    ("solution-selling", "zh-CN"): {
        "develop_opportunity": ("约发起人第一次见面", "发送同行业成功案例", "请对方引荐决策人"),
        "guide_needs": ("发送痛点梳理纪要", "组织目标流程研讨会", "发函确认共同愿景"),
        "set_criteria": ("商定选型评分表", "确认项目范围", "安排参观标杆客户"),
        "present_value": ("向决策人呈现投资回报", "给关键用户做演示", "发送成本对比"),
        "realize_sale": ("确定签约日期", "发送最终商务报价", "与对方团队规划项目启动"),
    },
}
